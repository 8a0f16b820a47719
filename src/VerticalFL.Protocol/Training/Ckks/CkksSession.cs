using VerticalFL.Contracts.V1;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Flooding;
using VerticalFL.Crypto.Ckks.Serialization;
using VerticalFL.Ml.Data;

namespace VerticalFL.Protocol.Training;

/// <summary>A data party's view of the job's CKKS key: encode, encrypt, compute, split for release; never decrypt.</summary>
internal sealed class CkksSession
{
    private CkksSession(CkksContext context, PublicKey key)
    {
        Context = context;
        Encoder = new CkksEncoder(context);
        Encryptor = new Encryptor(context, key);
        Evaluator = new Evaluator(context);
    }

    public CkksContext Context { get; }
    public CkksEncoder Encoder { get; }
    public Encryptor Encryptor { get; }
    public Evaluator Evaluator { get; }
    public CkksParameters Parameters => Context.Parameters;

    public static double DataScale => Math.Pow(2, CkksDefaults.DataScaleBits);
    public static double FeatureScale => Math.Pow(2, CkksDefaults.FeatureScaleBits);
    public static double ProductScale => DataScale * FeatureScale;

    /// <summary>
    /// The session for the key <paramref name="arbiter"/> sent. Parameters other than the job's ({60,60,60} at N = 8192)
    /// or a flooding rule weaker than the job's are refused: both decide what the arbiter and this party can learn.
    /// </summary>
    /// <param name="context">A context already made for the job's parameters (e.g. the one the columns were encoded with).</param>
    public static CkksSession From(CkksPublicKeyMessage message, HeteroLrParameters parameters, string arbiter, CkksContext? context = null)
    {
        string source = $"CKKS key from arbiter '{arbiter}'";
        var expected = CkksDefaults.Parameters();
        var received = SealSerializer.LoadParameters(message.Parameters.Span, source);
        if (received.PolyModulusDegree != expected.PolyModulusDegree || !received.CoeffModulus.SequenceEqual(expected.CoeffModulus))
            throw new BadInputException($"{source}: parameters N = {received.PolyModulusDegree} with {received.CoeffModulus.Count} primes are not the job's N = 8192, {{60, 60, 60}}.");
        if (message.NoiseBoundBits < parameters.CkksNoiseBits || message.StatisticalBits < FloodingPolicy.DefaultStatisticalSecurityBits)
            throw new BadInputException($"{source}: flooding with log2 t = {message.NoiseBoundBits}, s = {message.StatisticalBits} is weaker than the job's " +
                $"log2 t = {parameters.CkksNoiseBits}, s = {FloodingPolicy.DefaultStatisticalSecurityBits}.");
        context ??= new CkksContext(received);
        return new CkksSession(context, SealSerializer.LoadPublicKey(message.PublicKey.Span, received, source));
    }

    /// <summary>Encrypts <paramref name="values"/> in blocks of 4096 slots at Δ_d, each a fresh encryption.</summary>
    public Ciphertext[] EncryptBlocks(IReadOnlyList<double> values)
    {
        var blocks = new Ciphertext[CkksDefaults.Blocks(values.Count)];
        var array = values as double[] ?? [.. values];
        Parallel.For(0, blocks.Length, b =>
        {
            int start = b * CkksDefaults.SlotsPerCiphertext;
            int length = Math.Min(CkksDefaults.SlotsPerCiphertext, array.Length - start);
            blocks[b] = Encryptor.Encrypt(Encoder.Encode(array.AsSpan(start, length), DataScale));
        });
        return blocks;
    }

    /// <summary>A fresh encryption of one value in slot 0 at the product scale (a term added to a slot sum).</summary>
    public Ciphertext EncryptSlotSumTerm(double value) => Encryptor.Encrypt(Encoder.Encode([value], ProductScale));

    /// <summary>Σ slots from a released coefficient 0 of a product-scale ciphertext: (N/2)·m₀/(Δ_d·Δ_x).</summary>
    public static double SlotSum(System.Numerics.BigInteger coefficient0) => (double)coefficient0 / CkksDefaults.SlotSumUnit;
}
