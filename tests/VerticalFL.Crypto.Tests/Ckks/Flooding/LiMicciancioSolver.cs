using System.Numerics;

namespace VerticalFL.Crypto.Tests.Ckks.Flooding;

/// <summary>
/// The attacker's side of Li–Micciancio (eprint 2020/1533) against coefficient-0 releases: each released
/// decryption d₀ = [c0 + c1·s]₀ of a ciphertext the attacker holds is one exact linear equation in the N secret
/// coefficients modulo any prime p of the modulus, and N independent equations fix s by Gaussian elimination.
/// </summary>
internal static class LiMicciancioSolver
{
    /// <summary>
    /// Row of the equation (c1·s)₀ = Σⱼ rowⱼ·sⱼ (mod p) in Z[X]/(X^N + 1): coefficient 0 collects c1₀·s₀ and, for
    /// j ≥ 1, c1_{N−j}·sⱼ·X^N = −c1_{N−j}·sⱼ.
    /// </summary>
    public static BigInteger[] Coefficient0Row(IReadOnlyList<BigInteger> c1, BigInteger p)
    {
        var n = c1.Count;
        var row = new BigInteger[n];
        row[0] = Mod(c1[0], p);
        for (var j = 1; j < n; j++) row[j] = Mod(-c1[n - j], p);
        return row;
    }

    /// <summary>
    /// Solves rows·s = d − c0₀ (mod p) for s, one equation per release, and returns s centred in (−p/2, p/2].
    /// Throws if the releases do not give N independent equations.
    /// </summary>
    public static BigInteger[] RecoverSecret(IReadOnlyList<(IReadOnlyList<BigInteger> C0, IReadOnlyList<BigInteger> C1, BigInteger Released)> releases, BigInteger p)
    {
        var n = releases[0].C1.Count;
        var matrix = new BigInteger[releases.Count][];
        for (var i = 0; i < releases.Count; i++)
        {
            var (c0, c1, released) = releases[i];
            matrix[i] = [.. Coefficient0Row(c1, p), Mod(released - c0[0], p)];
        }

        var solution = Solve(matrix, n, p);
        return solution.Select(v => v > p / 2 ? v - p : v).ToArray();
    }

    /// <summary>Gauss–Jordan elimination on an augmented matrix over GF(p).</summary>
    private static BigInteger[] Solve(BigInteger[][] rows, int unknowns, BigInteger p)
    {
        var pivotRow = 0;
        for (var column = 0; column < unknowns; column++)
        {
            var found = Array.FindIndex(rows, pivotRow, r => !r[column].IsZero);
            if (found < 0) throw new InvalidOperationException($"Releases give fewer than {unknowns} independent equations (column {column}).");
            (rows[pivotRow], rows[found]) = (rows[found], rows[pivotRow]);
            var inverse = BigInteger.ModPow(rows[pivotRow][column], p - 2, p);
            for (var k = column; k <= unknowns; k++) rows[pivotRow][k] = rows[pivotRow][k] * inverse % p;
            for (var r = 0; r < rows.Length; r++)
            {
                if (r == pivotRow || rows[r][column].IsZero) continue;
                var factor = rows[r][column];
                for (var k = column; k <= unknowns; k++) rows[r][k] = Mod(rows[r][k] - factor * rows[pivotRow][k], p);
            }

            pivotRow++;
        }

        return Enumerable.Range(0, unknowns).Select(i => rows[i][unknowns]).ToArray();
    }

    public static BigInteger Mod(BigInteger value, BigInteger p)
    {
        var r = value % p;
        return r.Sign < 0 ? r + p : r;
    }
}
