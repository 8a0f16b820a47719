namespace VerticalFL.Crypto.Ckks;

/// <summary>Precomputation for one parameter set: NTT tables per prime and per-level CRT data.</summary>
public sealed class CkksContext
{
    private readonly LevelData[] _levels; // index = prime count − 1

    public CkksContext(CkksParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        N = parameters.PolyModulusDegree;
        var primes = parameters.Primes;
        Ntt = new NttTables[primes.Length];
        for (var i = 0; i < primes.Length; i++) Ntt[i] = new NttTables(N, primes[i]);
        Moduli = primes.ToArray().Select(q => new Barrett(q)).ToArray();
        _levels = new LevelData[primes.Length];
        for (var count = 1; count <= primes.Length; count++) _levels[count - 1] = new LevelData(primes[..count].ToArray());
    }

    public CkksParameters Parameters { get; }

    /// <summary>Polynomial degree N.</summary>
    public int N { get; }

    /// <summary>NTT tables, one per prime of the key level.</summary>
    internal NttTables[] Ntt { get; }

    /// <summary>Barrett data, one per prime of the key level.</summary>
    internal Barrett[] Moduli { get; }

    /// <summary>Prime count of the key level.</summary>
    public int KeyPrimeCount => Parameters.CoeffModulus.Count;

    public ParmsId KeyParmsId => Parameters.KeyParmsId;

    public ParmsId FirstParmsId => Parameters.FirstParmsId;

    /// <summary>The prime count of the level with this parms_id; throws for a foreign parms_id.</summary>
    public int PrimeCountOf(ParmsId parmsId)
    {
        var count = Parameters.PrimeCountOf(parmsId);
        if (count < 0) throw new ArgumentException($"parms_id {parmsId} belongs to no level of these parameters.", nameof(parmsId));
        return count;
    }

    /// <summary>The NTT implementation this CPU runs: avx512, avx2 or scalar.</summary>
    public static string VectorPath => NttTables.VectorPath;

    /// <summary>Forward NTT of one prime's residues in place (exposed for benchmarks and tools).</summary>
    public void ForwardNtt(int prime, Span<ulong> values) => Ntt[prime].Forward(values);

    internal LevelData Level(int primeCount) => _levels[primeCount - 1];
}
