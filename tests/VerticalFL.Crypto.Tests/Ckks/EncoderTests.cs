using System.Numerics;
using VerticalFL.Crypto.Ckks;

namespace VerticalFL.Crypto.Tests.Ckks;

public class EncoderTests(CkksFixture fixture) : IClassFixture<CkksFixture>
{
    [Fact]
    public void Decode_after_encode_is_within_the_rounding_error()
    {
        var values = CkksFixture.RandomValues(1, fixture.Encoder.SlotCount, 100);
        var plain = fixture.Encoder.Encode(values, Math.Pow(2, 40));
        var decoded = fixture.Encoder.Decode(plain);
        Assert.Equal(3, plain.CoeffModulusCount);
        Assert.Equal(fixture.Context.FirstParmsId, plain.ParmsId);
        for (var i = 0; i < values.Length; i++) Assert.True(Math.Abs(decoded[i] - values[i]) < 1e-8, $"slot {i}: {decoded[i]} vs {values[i]}");
    }

    [Fact]
    public void Complex_packing_carries_two_real_vectors()
    {
        var real = CkksFixture.RandomValues(2, 1000, 5);
        var imaginary = CkksFixture.RandomValues(3, 1000, 5);
        var plain = fixture.Encoder.Encode(real, imaginary, Math.Pow(2, 40), fixture.Context.Parameters.ParmsIdAtLevel(2));
        var decoded = fixture.Encoder.DecodeComplex(plain);
        for (var i = 0; i < real.Length; i++)
        {
            Assert.True(Math.Abs(decoded[i].Real - real[i]) < 1e-8);
            Assert.True(Math.Abs(decoded[i].Imaginary - imaginary[i]) < 1e-8);
        }
        Assert.True(Math.Abs(decoded[1000].Real) < 1e-8 && Math.Abs(decoded[4095].Imaginary) < 1e-8);
    }

    [Fact]
    public void Slot_i_is_the_polynomial_at_the_primitive_root_to_the_power_3_to_the_i()
    {
        // Independent of the encoder's FFT: lift the coefficients by BigInteger CRT and evaluate the polynomial
        // at exp(πi·3^i/N) directly (SEAL's slot order uses generator 3).
        const int n = 64;
        var context = new CkksContext(CkksParameters.CreateInsecureForTests(n, [50, 50]));
        var encoder = new CkksEncoder(context);
        var values = CkksFixture.RandomValues(4, n / 2, 3);
        var scale = Math.Pow(2, 30);
        var plain = encoder.Encode(values, scale, context.Parameters.ParmsIdAtLevel(2));

        var coefficients = CentredCoefficients(context, plain);
        var power = 1;
        for (var i = 0; i < n / 2; i++)
        {
            var point = Complex.FromPolarCoordinates(1, Math.PI * power / n);
            var sum = Complex.Zero;
            for (var j = n - 1; j >= 0; j--) sum = sum * point + (double)coefficients[j];
            Assert.True(Math.Abs(sum.Real / scale - values[i]) < 1e-6, $"slot {i}");
            Assert.True(Math.Abs(sum.Imaginary / scale) < 1e-6, $"slot {i} imaginary");
            power = power * 3 % (2 * n);
        }
    }

    [Fact]
    public void Values_too_large_for_the_modulus_are_refused()
    {
        Assert.Throws<ArgumentException>(() => fixture.Encoder.Encode([1e40], Math.Pow(2, 40)));
        Assert.Throws<ArgumentOutOfRangeException>(() => fixture.Encoder.Encode([1.0], Math.Pow(2, 150)));
        Assert.Throws<ArgumentException>(() => fixture.Encoder.Encode(new double[4097], 2));
    }

    /// <summary>Coefficients of a plaintext polynomial, centred, by inverse NTT and BigInteger CRT.</summary>
    internal static BigInteger[] CentredCoefficients(CkksContext context, Plaintext plain)
    {
        var n = context.N;
        var count = plain.CoeffModulusCount;
        var data = plain.Coefficients.ToArray();
        for (var i = 0; i < count; i++) context.Ntt[i].Inverse(data.AsSpan(i * n, n));
        var primes = context.Parameters.CoeffModulus.Take(count).ToArray();
        var q = primes.Aggregate(BigInteger.One, (p, x) => p * x);
        var result = new BigInteger[n];
        for (var j = 0; j < n; j++)
        {
            var value = BigInteger.Zero;
            for (var i = 0; i < count; i++)
            {
                var punctured = q / primes[i];
                value += data[i * n + j] * punctured * BigInteger.ModPow(punctured % primes[i], primes[i] - 2, primes[i]);
            }
            value %= q;
            result[j] = value > q / 2 ? value - q : value;
        }
        return result;
    }
}
