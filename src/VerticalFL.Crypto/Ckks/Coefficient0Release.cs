using System.Numerics;
using System.Security.Cryptography;

namespace VerticalFL.Crypto.Ckks;

/// <summary>
/// What a data party sends the key holder to learn coefficient 0 of a ciphertext's decryption without rotations and
/// without showing it: c₁ in full and, per prime qᵢ, Σₖ ĉ₀ₖ + rᵢ mod qᵢ (the NTT-form c₀ summed, masked by a uniform
/// rᵢ). The key holder adds Σₖ ĉ₁ₖ·ŝₖ, multiplies by N⁻¹ and lifts by CRT: it gets m₀ + R mod Q, uniform whatever m₀
/// is, where R = CRT(N⁻¹·rᵢ) is known only to the party.
/// </summary>
public sealed class Coefficient0Request
{
    internal Coefficient0Request(ulong[] c1, ulong[] c0Sums, ParmsId level)
    {
        C1 = c1;
        C0Sums = c0Sums;
        Level = level;
    }

    /// <summary>c₁'s residues, prime-major (prime i coefficient j at i·N + j).</summary>
    public ulong[] C1 { get; }

    /// <summary>Per prime: Σₖ ĉ₀ₖ (+ rᵢ when masked) mod qᵢ.</summary>
    public ulong[] C0Sums { get; }

    public ParmsId Level { get; }

    /// <summary>Rebuilds a request received from a party, checking every residue against its prime.</summary>
    public static Coefficient0Request FromWire(CkksContext context, ReadOnlySpan<ulong> c1, ReadOnlySpan<ulong> c0Sums, ParmsId level)
    {
        ArgumentNullException.ThrowIfNull(context);
        var count = context.PrimeCountOf(level);
        var n = context.N;
        if (c1.Length != count * n || c0Sums.Length != count)
            throw new ArgumentException($"A coefficient-0 request at this level carries {count}·{n} c1 residues and {count} sums; got {c1.Length} and {c0Sums.Length}.");
        var primes = context.Parameters.Primes;
        for (var i = 0; i < count; i++)
        {
            if (c0Sums[i] >= primes[i]) throw new ArgumentException($"c0 sum {i} is not below its prime.");
            foreach (var v in c1.Slice(i * n, n))
                if (v >= primes[i]) throw new ArgumentException($"A c1 residue of prime {i} is not below its prime.");
        }
        return new Coefficient0Request(c1.ToArray(), c0Sums.ToArray(), level);
    }
}

/// <summary>The party's side of a masked coefficient-0 release: split a ciphertext, later remove the mask.</summary>
public static class Coefficient0Release
{
    /// <summary>
    /// The request for <paramref name="encrypted"/> and the mask R (a uniform value mod Q) to subtract from the
    /// answer; with <paramref name="masked"/> false, R = 0 and the key holder reads m₀ itself.
    /// </summary>
    public static (Coefficient0Request Request, BigInteger Mask) Split(CkksContext context, Ciphertext encrypted, bool masked = true)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(encrypted);
        var count = context.PrimeCountOf(encrypted.ParmsId);
        var c1 = new ulong[count * context.N];
        var sums = new ulong[count];
        var mask = SplitInto(context, encrypted, c1, sums, masked);
        return (new Coefficient0Request(c1, sums, encrypted.ParmsId), mask);
    }

    /// <summary>
    /// <see cref="Split"/> into the caller's buffers (e.g. a slice of a message being built): c₁'s residues into
    /// <paramref name="c1"/> (prime-major, primes × N) and the per-prime (masked) c₀ sums into <paramref name="c0Sums"/>.
    /// Returns the mask R.
    /// </summary>
    public static BigInteger SplitInto(CkksContext context, Ciphertext encrypted, Span<ulong> c1, Span<ulong> c0Sums, bool masked = true)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(encrypted);
        if (!encrypted.IsNttForm) throw new ArgumentException("CKKS ciphertexts must be in NTT form.", nameof(encrypted));
        var count = context.PrimeCountOf(encrypted.ParmsId);
        var n = context.N;
        if (c1.Length != count * n || c0Sums.Length != count)
            throw new ArgumentException($"A coefficient-0 request at this level needs {count}·{n} c1 residues and {count} sums; the buffers hold {c1.Length} and {c0Sums.Length}.");
        var primes = context.Parameters.Primes;
        var sums = c0Sums;
        Span<ulong> maskResidues = stackalloc ulong[count];
        for (var i = 0; i < count; i++)
        {
            encrypted.Residues(1, i).CopyTo(c1.Slice(i * n, n));
            UInt128 sum = 0;
            foreach (var v in encrypted.Residues(0, i)) sum += v;
            var reduced = (ulong)(sum % primes[i]);
            if (masked)
            {
                var r = UniformBelow(primes[i]);
                reduced = (ulong)(((UInt128)reduced + r) % primes[i]);
                maskResidues[i] = PrimeMath.MulMod(r, context.Ntt[i].InverseN, primes[i]);
            }
            sums[i] = reduced;
        }
        return masked ? Compose(context.Level(count), maskResidues) : BigInteger.Zero;
    }

    /// <summary>(released − mask) mod Q, centred: m₀ plus the key holder's flooding noise.</summary>
    public static BigInteger Unmask(CkksContext context, BigInteger released, BigInteger mask, ParmsId level)
    {
        ArgumentNullException.ThrowIfNull(context);
        var modulus = context.Level(context.PrimeCountOf(level)).Modulus;
        var value = (released - mask) % modulus;
        if (value.Sign < 0) value += modulus;
        return value > modulus >> 1 ? value - modulus : value;
    }

    /// <summary>
    /// Coefficient 0 of the decryption of a request (m₀ + R mod Q, centred) with the secret key: per prime
    /// (Σₖ ĉ₁ₖ·ŝₖ + sumᵢ)·N⁻¹, then CRT. Callers release it only through <see cref="Flooding.FloodedDecryptor"/>.
    /// </summary>
    internal static BigInteger Decrypt(CkksContext context, SecretKey secretKey, Coefficient0Request request)
    {
        var count = context.PrimeCountOf(request.Level);
        var n = context.N;
        Span<ulong> residues = stackalloc ulong[count];
        for (var i = 0; i < count; i++)
        {
            var modulus = context.Moduli[i];
            var c1 = request.C1.AsSpan(i * n, n);
            var s = secretKey.Residues(i);
            UInt128 sum = request.C0Sums[i];
            for (var j = 0; j < n; j++) sum += modulus.MulMod(c1[j], s[j]);
            var total = modulus.Reduce((ulong)(sum >> 64), (ulong)sum);
            residues[i] = modulus.MulMod(total, context.Ntt[i].InverseN);
        }
        return context.Level(count).ComposeCentred(residues);
    }

    private static BigInteger Compose(LevelData level, ReadOnlySpan<ulong> residues)
    {
        var value = level.ComposeCentred(residues);
        return value.Sign < 0 ? value + level.Modulus : value;
    }

    /// <summary>Uniform in [0, q) by rejection from the OS CSPRNG.</summary>
    private static ulong UniformBelow(ulong q)
    {
        var bits = 64 - BitOperations.LeadingZeroCount(q);
        var limit = bits == 64 ? ulong.MaxValue : (1UL << bits) - 1;
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var v = BitConverter.ToUInt64(bytes) & limit;
            if (v < q) return v;
        }
    }
}
