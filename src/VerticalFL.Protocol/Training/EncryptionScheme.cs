namespace VerticalFL.Protocol.Training;

/// <summary>The homomorphic scheme a hetero LR job runs under (job spec: <c>training.encryption</c>).</summary>
public enum EncryptionScheme
{
    /// <summary>Paillier (docs/protocol/hetero-lr.md). Default.</summary>
    Paillier,
    /// <summary>Packed RNS-CKKS with masked coefficient-0 releases (docs/protocol/hetero-lr-ckks.md).</summary>
    Ckks,
}
