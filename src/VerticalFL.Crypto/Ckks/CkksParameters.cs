namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// CKKS encryption parameters as SEAL defines them: degree N and an RNS coefficient modulus. The key level uses
/// every prime (the last is the special prime); data levels drop primes from the end.
/// </summary>
public sealed class CkksParameters
{
    /// <summary>SEAL's limit on one prime's size.</summary>
    public const int MaxPrimeBits = 60;

    private readonly ulong[] _primes;
    private readonly ParmsId[] _parmsIds; // index = prime count − 1

    private CkksParameters(int n, ulong[] primes)
    {
        PolyModulusDegree = n;
        _primes = primes;
        _parmsIds = new ParmsId[primes.Length];
        for (var count = 1; count <= primes.Length; count++) _parmsIds[count - 1] = ParmsId.Compute(n, primes.AsSpan(0, count));
    }

    public int PolyModulusDegree { get; }

    public IReadOnlyList<ulong> CoeffModulus => _primes;

    internal ReadOnlySpan<ulong> Primes => _primes;

    /// <summary>The parms_id of the key level (all primes).</summary>
    public ParmsId KeyParmsId => _parmsIds[^1];

    /// <summary>The highest data level: all primes but the special one (SEAL's <c>first_parms_id</c>).</summary>
    public ParmsId FirstParmsId => _parmsIds[FirstLevelPrimeCount - 1];

    /// <summary>Primes at the highest data level (with a single prime there is no special prime).</summary>
    public int FirstLevelPrimeCount => _primes.Length == 1 ? 1 : _primes.Length - 1;

    /// <summary>The parms_id of the level that keeps the first <paramref name="primeCount"/> primes.</summary>
    public ParmsId ParmsIdAtLevel(int primeCount)
    {
        if (primeCount < 1 || primeCount > _primes.Length)
            throw new ArgumentOutOfRangeException(nameof(primeCount), $"A level keeps 1..{_primes.Length} primes; got {primeCount}.");
        return _parmsIds[primeCount - 1];
    }

    /// <summary>The prime count of the level with this parms_id, or −1 if no level has it.</summary>
    public int PrimeCountOf(ParmsId parmsId) => Array.IndexOf(_parmsIds, parmsId) + 1 is var count and > 0 ? count : -1;

    /// <summary>Total bits of the full coefficient modulus (sum of the primes' bit lengths, as SEAL counts it).</summary>
    public int TotalModulusBits => _primes.Sum(p => 64 - System.Numerics.BitOperations.LeadingZeroCount(p));

    /// <summary>
    /// The HomomorphicEncryption.org 128-bit classical bound on log Q for ternary secrets (SEAL's
    /// <c>CoeffModulus::MaxBitCount</c>), or −1 for a degree the standard does not list.
    /// </summary>
    public static int MaxModulusBits(int n) => n switch
    {
        1024 => 27, 2048 => 54, 4096 => 109, 8192 => 218, 16384 => 438, 32768 => 881, _ => -1,
    };

    /// <summary>SEAL's <c>CoeffModulus.Create(n, bitSizes)</c>, refused above the 128-bit bound.</summary>
    public static CkksParameters Create(int n, IReadOnlyList<int> bitSizes) => FromPrimes(n, PrimeSearch.Create(n, bitSizes));

    /// <summary>Parameters from explicit primes (each ≡ 1 mod 2N, at most 60 bits, distinct), within the bound.</summary>
    public static CkksParameters FromPrimes(int n, IReadOnlyList<ulong> primes)
    {
        var parameters = Build(n, primes, minDegree: 1024);
        var bound = MaxModulusBits(n);
        if (parameters.TotalModulusBits > bound)
            throw new ArgumentException(
                $"Coefficient modulus of {parameters.TotalModulusBits} bits exceeds the HomomorphicEncryption.org 128-bit bound of {bound} bits for N = {n}.",
                nameof(primes));
        return parameters;
    }

    /// <summary>Toy parameters (N down to 8, no security bound) for unit tests only.</summary>
    internal static CkksParameters CreateInsecureForTests(int n, IReadOnlyList<int> bitSizes) =>
        Build(n, PrimeSearch.Create(n, bitSizes), minDegree: 8);

    internal static CkksParameters FromPrimesInsecureForTests(int n, IReadOnlyList<ulong> primes) => Build(n, primes, minDegree: 8);

    private static CkksParameters Build(int n, IReadOnlyList<ulong> primes, int minDegree)
    {
        if (n < minDegree || n > 32768 || (n & (n - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(n), $"Polynomial modulus degree must be a power of two in {minDegree}..32768; got {n}.");
        if (primes.Count == 0) throw new ArgumentException("The coefficient modulus needs at least one prime.", nameof(primes));
        var twoN = 2UL * (ulong)n;
        for (var i = 0; i < primes.Count; i++)
        {
            var q = primes[i];
            if (q < 2 || q >> MaxPrimeBits != 0) throw new ArgumentException($"Prime {i} ({q}) must have 2..{MaxPrimeBits} bits.", nameof(primes));
            if (q % twoN != 1) throw new ArgumentException($"Prime {i} ({q}) is not 1 mod 2N = {twoN}.", nameof(primes));
            if (!PrimeMath.IsPrime(q)) throw new ArgumentException($"Coefficient modulus {i} ({q}) is not prime.", nameof(primes));
            for (var j = 0; j < i; j++)
                if (primes[j] == q) throw new ArgumentException($"Prime {q} appears twice in the coefficient modulus.", nameof(primes));
        }
        return new CkksParameters(n, primes.ToArray());
    }
}
