using System.Buffers.Binary;
using System.Security.Cryptography;

namespace VerticalFL.Crypto.SecureAggregation;

/// <summary>One party's Shamir share: the evaluation point x ≥ 1 and, per field element of the secret, f_j(x).</summary>
public sealed record ShamirShare(int X, ulong[] Y);

/// <summary>
/// Shamir t-of-n secret sharing (Shamir 1979) over GF(p), p = 2^61 − 1 by default. A byte secret is cut into 7-byte
/// little-endian chunks (each &lt; 2^56 &lt; p), and each chunk s_j gets its own polynomial
/// f_j(x) = s_j + a_1 x + … + a_{t−1} x^{t−1} with coefficients uniform in GF(p) (OS CSPRNG, rejection sampled).
/// Any t shares give s_j = Σ_i y_i Π_{m≠i} x_m/(x_m − x_i) (Lagrange at 0); any t − 1 shares are uniform and
/// independent of the secret, because for fixed t − 1 non-zero points and fixed s_j the map from (a_1 … a_{t−1}) to
/// the t − 1 values is a bijection (a Vandermonde system).
/// </summary>
public sealed class ShamirSecretSharing(PrimeField field)
{
    private const int ChunkBytes = 7;

    public ShamirSecretSharing() : this(new PrimeField(PrimeField.Mersenne61)) { }

    public PrimeField Field { get; } = field;

    /// <summary>Shares of <paramref name="secret"/> at the points <paramref name="xs"/> (distinct, in [1, p)), any <paramref name="threshold"/> of which reconstruct it.</summary>
    /// <exception cref="ArgumentException">The threshold is not in [1, xs.Count], or a point is repeated or out of range.</exception>
    public ShamirShare[] Split(ReadOnlySpan<byte> secret, int threshold, IReadOnlyList<int> xs)
    {
        if (Field.Prime <= 1UL << (8 * ChunkBytes))
            throw new InvalidOperationException($"Byte secrets need a prime above 2^56; this field's is {Field.Prime}.");
        CheckPoints(threshold, xs);
        int chunks = (secret.Length + ChunkBytes - 1) / ChunkBytes;
        var ys = xs.Select(_ => new ulong[chunks]).ToArray();
        var coefficients = new ulong[threshold];
        Span<byte> chunk = stackalloc byte[8];
        for (int j = 0; j < chunks; j++)
        {
            chunk.Clear();
            secret.Slice(j * ChunkBytes, Math.Min(ChunkBytes, secret.Length - j * ChunkBytes)).CopyTo(chunk);
            coefficients[0] = BinaryPrimitives.ReadUInt64LittleEndian(chunk);
            for (int c = 1; c < threshold; c++)
                coefficients[c] = Field.Random();
            for (int i = 0; i < xs.Count; i++)
                ys[i][j] = Evaluate(coefficients, (ulong)xs[i]);
        }
        CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(coefficients.AsSpan()));
        CryptographicOperations.ZeroMemory(chunk);
        return xs.Select((x, i) => new ShamirShare(x, ys[i])).ToArray();
    }

    /// <summary>The <paramref name="length"/>-byte secret from the first <paramref name="threshold"/> of <paramref name="shares"/>.</summary>
    /// <exception cref="ArgumentException">Fewer than threshold shares, repeated points, shares of different shapes, or shares that do not come from one secret of this length.</exception>
    public byte[] Combine(IReadOnlyList<ShamirShare> shares, int threshold, int length)
    {
        if (threshold < 1 || shares.Count < threshold)
            throw new ArgumentException($"{shares.Count} shares cannot reconstruct a {threshold}-of-n secret.", nameof(shares));
        var used = shares.Take(threshold).ToArray();
        CheckPoints(threshold, used.Select(s => s.X).ToArray());
        int chunks = (length + ChunkBytes - 1) / ChunkBytes;
        if (used.Any(s => s.Y.Length != chunks))
            throw new ArgumentException($"A share has the wrong number of elements for a {length}-byte secret ({chunks} expected).", nameof(shares));
        var lagrange = LagrangeAtZero(used.Select(s => (ulong)s.X).ToArray());
        var secret = new byte[chunks * 8];
        for (int j = 0; j < chunks; j++)
        {
            ulong s = 0;
            for (int i = 0; i < used.Length; i++)
                s = Field.Add(s, Field.Mul(used[i].Y[j], lagrange[i]));
            if (s >= 1UL << (8 * ChunkBytes) || (j == chunks - 1 && s >> (8 * (length - j * ChunkBytes)) != 0))
                throw new ArgumentException("The shares do not come from one secret of this length (inconsistent or corrupted shares).", nameof(shares));
            BinaryPrimitives.WriteUInt64LittleEndian(secret.AsSpan(j * ChunkBytes), s);
        }
        var result = secret[..length];
        CryptographicOperations.ZeroMemory(secret);
        return result;
    }

    /// <summary>f(x) for coefficients c_0 … c_{t−1} (Horner).</summary>
    public ulong Evaluate(ReadOnlySpan<ulong> coefficients, ulong x)
    {
        ulong y = 0;
        for (int c = coefficients.Length - 1; c >= 0; c--)
            y = Field.Add(Field.Mul(y, x), coefficients[c] % Field.Prime);
        return y;
    }

    /// <summary>The field element f(0) from points (x_i, y_i) of a polynomial of degree &lt; their count.</summary>
    public ulong InterpolateAtZero(IReadOnlyList<ulong> xs, IReadOnlyList<ulong> ys)
    {
        var lagrange = LagrangeAtZero(xs.ToArray());
        ulong s = 0;
        for (int i = 0; i < xs.Count; i++)
            s = Field.Add(s, Field.Mul(ys[i] % Field.Prime, lagrange[i]));
        return s;
    }

    /// <summary>λ_i = Π_{m≠i} x_m / (x_m − x_i).</summary>
    private ulong[] LagrangeAtZero(ulong[] xs)
    {
        var lambda = new ulong[xs.Length];
        for (int i = 0; i < xs.Length; i++)
        {
            ulong numerator = 1, denominator = 1;
            for (int m = 0; m < xs.Length; m++)
            {
                if (m == i)
                    continue;
                numerator = Field.Mul(numerator, xs[m]);
                denominator = Field.Mul(denominator, Field.Sub(xs[m] % Field.Prime, xs[i] % Field.Prime));
            }
            lambda[i] = Field.Mul(numerator, Field.Inverse(denominator));
        }
        return lambda;
    }

    private void CheckPoints(int threshold, IReadOnlyList<int> xs)
    {
        if (threshold < 1 || threshold > xs.Count)
            throw new ArgumentException($"The threshold must be in [1, {xs.Count}] (the number of shares); got {threshold}.", nameof(threshold));
        var seen = new HashSet<int>();
        foreach (int x in xs)
        {
            if (x < 1 || (ulong)x >= Field.Prime)
                throw new ArgumentException($"Share points must be in [1, {Field.Prime}); got {x}.", nameof(xs));
            if (!seen.Add(x))
                throw new ArgumentException($"Share point {x} appears twice.", nameof(xs));
        }
    }
}
