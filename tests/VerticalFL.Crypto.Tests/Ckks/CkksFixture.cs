using VerticalFL.Crypto.Ckks;

namespace VerticalFL.Crypto.Tests.Ckks;

/// <summary>Shared N = 8192 {60, 40, 40, 60} context and keys (key generation is the slow part).</summary>
public sealed class CkksFixture : IDisposable
{
    public CkksFixture()
    {
        Context = new CkksContext(CkksParameters.Create(8192, [60, 40, 40, 60]));
        var keys = new KeyGenerator(Context);
        SecretKey = keys.SecretKey;
        PublicKey = keys.CreatePublicKey();
        Encoder = new CkksEncoder(Context);
        Encryptor = new Encryptor(Context, PublicKey);
        Decryptor = new Decryptor(Context, SecretKey);
        Evaluator = new Evaluator(Context);
    }

    public CkksContext Context { get; }
    public SecretKey SecretKey { get; }
    public PublicKey PublicKey { get; }
    public CkksEncoder Encoder { get; }
    public Encryptor Encryptor { get; }
    public Decryptor Decryptor { get; }
    public Evaluator Evaluator { get; }

    public static double[] RandomValues(int seed, int count, double bound)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (random.NextDouble() * 2 - 1) * bound).ToArray();
    }

    public void Dispose() => SecretKey.Dispose();
}
