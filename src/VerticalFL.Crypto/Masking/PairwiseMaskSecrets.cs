using System.Security.Cryptography;

namespace VerticalFL.Crypto.Masking;

/// <summary>
/// One party's ECDH secrets with each peer (from <see cref="PairwiseMask.AgreeWith"/>): applies the same pairwise
/// masks as <see cref="PairwiseMask.Apply"/> under any number of contexts without repeating the key agreement.
/// The secrets are wiped on <see cref="Dispose"/>; never exported.
/// </summary>
public sealed class PairwiseMaskSecrets : IDisposable
{
    private readonly string _self;
    private readonly Dictionary<string, byte[]> _secrets;

    internal PairwiseMaskSecrets(string self, Dictionary<string, byte[]> secrets)
    {
        _self = self;
        _secrets = secrets;
    }

    /// <summary>The peers these secrets mask against.</summary>
    public IReadOnlyCollection<string> Peers => _secrets.Keys;

    /// <summary>Adds this party's net mask for <paramref name="context"/> to <paramref name="values"/> in place (see <see cref="PairwiseMask.Apply"/>).</summary>
    public void Apply(string context, ulong[] values)
    {
        foreach (var (peer, secret) in _secrets)
        {
            bool first = string.CompareOrdinal(_self, peer) < 0;
            var stream = PairwiseMask.StreamFrom(secret, first ? $"{_self}\n{peer}" : $"{peer}\n{_self}", context, values.Length);
            for (int i = 0; i < values.Length; i++)
                values[i] = first ? values[i] + stream[i] : values[i] - stream[i];
        }
    }

    public override string ToString() => $"PairwiseMaskSecrets(peers = {_secrets.Count})";

    public void Dispose()
    {
        foreach (var secret in _secrets.Values)
            CryptographicOperations.ZeroMemory(secret);
    }
}
