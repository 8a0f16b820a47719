using System.Numerics;
using System.Security.Cryptography;

namespace VerticalFL.Crypto.Ckks.Flooding;

/// <summary>
/// Exact uniform integers and rational-probability coin flips drawn from the OS CSPRNG. Bytes are fetched in
/// blocks (one system call per 4 KiB instead of one per draw) and each consumed byte is zeroed in the block.
/// Not thread-safe: one instance per sampler, and callers serialise use of a sampler.
/// </summary>
internal sealed class CsprngIntegers
{
    private readonly byte[] _block = new byte[4096];
    private int _next;

    public CsprngIntegers() => _next = _block.Length;

    /// <summary>A uniform integer in [0, bound), by rejection from the smallest power of two ≥ bound (no modulo bias).</summary>
    public BigInteger UniformBelow(BigInteger bound)
    {
        if (bound.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "The bound of a uniform draw must be positive.");
        }

        var bits = (int)(bound - 1).GetBitLength();
        if (bits == 0)
        {
            return BigInteger.Zero;
        }

        var bytes = new byte[(bits + 7) / 8];
        var topMask = (byte)(0xFF >> (bytes.Length * 8 - bits));
        while (true)
        {
            Take(bytes);
            bytes[^1] &= topMask; // little-endian: the last byte holds the top bits
            var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
            if (value < bound)
            {
                Array.Clear(bytes);
                return value;
            }
        }
    }

    /// <summary>True with probability exactly numerator/denominator (0 ≤ numerator ≤ denominator).</summary>
    public bool Bernoulli(BigInteger numerator, BigInteger denominator) => UniformBelow(denominator) < numerator;

    /// <summary>A fair coin.</summary>
    public bool Coin()
    {
        Span<byte> one = stackalloc byte[1];
        Take(one);
        return (one[0] & 1) == 1;
    }

    private void Take(Span<byte> destination)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            if (_next == _block.Length)
            {
                RandomNumberGenerator.Fill(_block);
                _next = 0;
            }

            var count = Math.Min(destination.Length - filled, _block.Length - _next);
            var source = _block.AsSpan(_next, count);
            source.CopyTo(destination[filled..]);
            source.Clear();
            _next += count;
            filled += count;
        }
    }
}
