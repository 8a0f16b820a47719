using System.Runtime.InteropServices;
using System.Security.Cryptography;
using VerticalFL.Crypto.Ckks;

namespace VerticalFL.Crypto.Tests.Ckks;

public class EncoderSealTests
{
    /// <summary>
    /// Known answers from real SEAL: SHA-256 of the NTT-form residues node-seal 7.0.0 (SEAL 4.1, WebAssembly)
    /// produced for this vector (tests/seal/encoder-kat.mjs). At Δ = 2^50 the coefficients reach 2^52, where one
    /// ulp of the FFT decides the rounding, so any deviation from SEAL's FFT or roots shows.
    /// </summary>
    [Theory]
    [InlineData(8192, new[] { 60, 40, 40, 60 }, 40, "318e776c87c22d7394ee72c10363354236381798c16895f42a94b2115998ff7e")]
    [InlineData(8192, new[] { 60, 60, 60 }, 50, "198748bb6ed06d497fa335218b74717cb19e5ae9b53d4e7d44f873217dff3e12")]
    [InlineData(4096, new[] { 36, 36, 37 }, 30, "83dcbd2001a50af23a370e35397516f48cdadf6f6806c5f976906533ac1adb42")]
    public void Encoded_full_vector_has_seals_residues(int n, int[] bits, int scaleBits, string sealSha256)
    {
        var values = Enumerable.Range(0, n / 2).Select(i => ((i * 7919) % 2001 - 1000) / 3.0 + i / 7.0).ToArray();
        var context = new CkksContext(CkksParameters.Create(n, bits));
        var plain = new CkksEncoder(context).Encode(values, Math.Pow(2, scaleBits));
        var residues = MemoryMarshal.AsBytes(plain.Coefficients);
        Assert.Equal(sealSha256, Convert.ToHexStringLower(SHA256.HashData(residues)));
    }

    [Fact]
    public void Roots_match_correctly_rounded_values_closely()
    {
        // Independent of musl: within one ulp of the platform libm for every angle the encoder uses at N = 16384.
        for (var k = 0; k <= 32768 / 8; k++)
        {
            var angle = 2 * Math.PI * k / 32768;
            Assert.True(Math.Abs(RootTrig.Cos(angle) - Math.Cos(angle)) <= Math.BitIncrement(1.0) - 1.0, $"cos {k}");
            Assert.True(Math.Abs(RootTrig.Sin(angle) - Math.Sin(angle)) <= Math.BitIncrement(Math.Sin(angle)) - Math.Sin(angle), $"sin {k}");
        }
    }
}
