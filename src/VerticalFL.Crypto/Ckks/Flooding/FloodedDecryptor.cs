using System.Numerics;
using System.Runtime.CompilerServices;

namespace VerticalFL.Crypto.Ckks.Flooding;

/// <summary>
/// The only decryptor whose output may leave the key holder: every value it returns carries fresh discrete
/// Gaussian noise of the <see cref="FloodingPolicy"/>'s σ, and it stops after τ releases.
/// </summary>
/// <remarks>
/// Without flooding, each released decryption d = c0 + c1·s (mod Q) of a ciphertext the receiver holds is an exact
/// linear equation in the secret key, and N of them reveal the key (Li–Micciancio, eprint 2020/1533; the attack
/// test in VerticalFL.Crypto.Tests does it at N = 64). The budget belongs to the <see cref="SecretKey"/> object, not
/// to this decryptor: every <see cref="FloodedDecryptor"/> built for the same key object shares one count and must
/// use the same policy. A key loaded again from its file is a new object with a fresh count, so a service must keep
/// one loaded key per job (and should re-key rather than reload to reset the count). A release is charged before
/// decryption, so a decryption that then fails still costs one release (the safe direction). Thread-safe.
/// </remarks>
public sealed class FloodedDecryptor
{
    private static readonly ConditionalWeakTable<SecretKey, ReleaseBudget> BudgetsByKey = new();
    private static readonly Lock BudgetsLock = new();

    private readonly CkksContext _context;
    private readonly Decryptor _decryptor;
    private readonly SecretKey _secretKey;
    private readonly DiscreteGaussianSampler _noise;
    private readonly Lock _noiseLock = new();

    public FloodedDecryptor(CkksContext context, SecretKey secretKey, FloodingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentNullException.ThrowIfNull(policy);
        RequireHeadroom(context, policy);
        _context = context;
        _decryptor = new Decryptor(context, secretKey);
        _secretKey = secretKey;
        _noise = new DiscreteGaussianSampler(policy.SigmaSquared);
        Budget = BudgetFor(secretKey, policy);
    }

    /// <summary>The key's shared release count.</summary>
    public ReleaseBudget Budget { get; }

    public FloodingPolicy Policy => Budget.Policy;

    /// <summary>
    /// Coefficient 0 of the decryption plus flooding noise, centred mod the ciphertext level's Q. For a CKKS
    /// ciphertext Σ slots ≈ (N/2)·value/scale; the noise adds an error of standard deviation (N/2)·σ/scale to it.
    /// </summary>
    public BigInteger DecryptCoefficient0ForRelease(Ciphertext encrypted)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        Budget.Consume();
        return Flood(_decryptor.DecryptCoefficient0(encrypted), encrypted.ParmsId);
    }

    /// <summary>
    /// For decryption paths that compute coefficient 0 themselves (e.g. from c1 and a sum of c0's NTT values):
    /// charges one release and floods <paramref name="decryptedCoefficient"/>, centred mod the level's Q.
    /// </summary>
    public BigInteger FloodCoefficientForRelease(BigInteger decryptedCoefficient, ParmsId level)
    {
        Budget.Consume();
        return Flood(decryptedCoefficient, level);
    }

    /// <summary>
    /// Coefficient 0 of a party's masked request (<see cref="Coefficient0Release"/>) plus flooding noise: the key
    /// holder sees only m₀ + R (uniform), the party gets m₀ + R + e and removes R. One release.
    /// </summary>
    public BigInteger ReleaseCoefficient0(Coefficient0Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Budget.Consume();
        return Flood(Coefficient0Release.Decrypt(_context, _secretKey, request), request.Level);
    }

    /// <summary>
    /// The whole decrypted plaintext with independent flooding noise on each of its N coefficients (so every slot
    /// decoded from it is flooded). One release.
    /// </summary>
    public Plaintext DecryptForRelease(Ciphertext encrypted)
    {
        ArgumentNullException.ThrowIfNull(encrypted);
        Budget.Consume();
        var plain = _decryptor.Decrypt(encrypted);
        AddNoisePolynomial(plain);
        return plain;
    }

    private BigInteger Flood(BigInteger value, ParmsId level)
    {
        var modulus = _context.Level(_context.PrimeCountOf(level)).Modulus;
        var flooded = (value + NextNoise()) % modulus;
        if (flooded.Sign < 0) flooded += modulus;
        return flooded > modulus >> 1 ? flooded - modulus : flooded;
    }

    /// <summary>Adds e (coefficient form, each eⱼ ~ D_σ) to an NTT-form plaintext: NTT(e) per prime, then add.</summary>
    private void AddNoisePolynomial(Plaintext plain)
    {
        var n = plain.PolyModulusDegree;
        var noise = new BigInteger[n];
        for (var j = 0; j < n; j++) noise[j] = NextNoise();
        var residues = new ulong[n];
        for (var i = 0; i < plain.CoeffModulusCount; i++)
        {
            var ntt = _context.Ntt[i];
            var q = ntt.Modulus;
            for (var j = 0; j < n; j++)
            {
                var r = (long)(noise[j] % (BigInteger)q); // in (−q, q), q < 2^60: fits a long
                residues[j] = r < 0 ? (ulong)(r + (long)q) : (ulong)r;
            }

            ntt.Forward(residues);
            var target = plain.Residues(i);
            for (var j = 0; j < n; j++)
            {
                var sum = target[j] + residues[j]; // both < q < 2^60: no overflow
                target[j] = sum >= q ? sum - q : sum;
            }
        }

        Array.Clear(residues);
        Array.Clear(noise);
    }

    private BigInteger NextNoise()
    {
        lock (_noiseLock)
        {
            return _noise.Next();
        }
    }

    private static ReleaseBudget BudgetFor(SecretKey secretKey, FloodingPolicy policy)
    {
        lock (BudgetsLock)
        {
            if (BudgetsByKey.TryGetValue(secretKey, out var existing))
            {
                if (!SameRule(existing.Policy, policy))
                {
                    throw new ArgumentException(
                        $"This CKKS secret key already releases under {existing.Policy}; one key has one flooding policy " +
                        "and one budget, and a second policy would let its releases exceed the τ its σ was sized for.",
                        nameof(policy));
                }

                return existing;
            }

            var budget = new ReleaseBudget(policy);
            BudgetsByKey.Add(secretKey, budget);
            return budget;
        }
    }

    private static bool SameRule(FloodingPolicy a, FloodingPolicy b) =>
        a.MaxReleases == b.MaxReleases && a.NoiseBound == b.NoiseBound && a.StatisticalSecurityBits == b.StatisticalSecurityBits;

    /// <summary>
    /// Refuses a σ whose noise could wrap around the first data level's modulus: 16σ must stay below Q/2
    /// (P[|e| ≥ 16σ] &lt; 2^−180), i.e. 1024·σ² &lt; Q², with room left for the message itself.
    /// </summary>
    private static void RequireHeadroom(CkksContext context, FloodingPolicy policy)
    {
        var modulus = context.Level(context.Parameters.FirstLevelPrimeCount).Modulus;
        if (1024 * policy.SigmaSquared >= modulus * modulus)
        {
            throw new ArgumentException(
                $"Flooding σ = 2^{policy.Log2Sigma:F1} would wrap around the data-level modulus Q = 2^{BigInteger.Log(modulus, 2):F1} " +
                "(16σ must stay below Q/2); lower τ or the noise bound t, or use more or larger primes.",
                nameof(policy));
        }
    }
}
