using VerticalFL.Crypto.Ckks;

namespace VerticalFL.Crypto.Tests.Ckks;

public class ParametersTests
{
    // Primes SEAL 4.1.2 (node-seal 7.0.0) returns for CoeffModulus.Create(8192, [60, 40, 40, 60]) (docs DESIGN §7).
    private static readonly ulong[] SealPrimes8192 = [0xffffffffffe8001, 0xfffff4c001, 0xfffffdc001, 0xfffffffffffc001];

    [Fact]
    public void Create_finds_the_primes_seal_finds()
    {
        var parameters = CkksParameters.Create(8192, [60, 40, 40, 60]);
        Assert.Equal(SealPrimes8192, parameters.CoeffModulus);
        Assert.Equal(3, parameters.FirstLevelPrimeCount);
    }

    [Fact]
    public void Sets_above_the_128_bit_bound_are_refused_naming_the_bound()
    {
        var error = Assert.Throws<ArgumentException>(() => CkksParameters.Create(8192, [60, 60, 60, 60]));
        Assert.Contains("218 bits", error.Message);
        Assert.Contains("109 bits", Assert.Throws<ArgumentException>(() => CkksParameters.Create(4096, [60, 50])).Message);
        Assert.Equal(438, CkksParameters.Create(16384, [60, 54, 54, 54, 54, 54, 54, 54]).TotalModulusBits);
    }

    [Fact]
    public void Primes_that_are_not_1_mod_2n_or_not_prime_are_refused()
    {
        Assert.Throws<ArgumentException>(() => CkksParameters.FromPrimes(8192, [0xffffffffffe8001, 0xffffffffffe8001 + 2]));
        Assert.Throws<ArgumentException>(() => CkksParameters.FromPrimes(8192, [0xffffffffffe8001, 16384UL * 3 + 1]));
        Assert.Throws<ArgumentException>(() => CkksParameters.FromPrimes(8192, [0xffffffffffe8001, 0xffffffffffe8001]));
    }

    [Fact]
    public void Parms_id_matches_an_independent_blake2b_of_the_seal_layout()
    {
        // Expected values from Python 3's hashlib.blake2b(digest_size=32) over the little-endian u64 words
        // [2, 8192, primes…, 0], printed as four u64 words in hex (SEAL's EncryptionParameters::compute_parms_id).
        var parameters = CkksParameters.FromPrimes(8192, SealPrimes8192);
        Assert.Equal("cfda86153fdda8e2bab3261f59a402acae8fe2601f0b6e53ddc508ab0e037ff5", parameters.KeyParmsId.ToString());
        Assert.Equal("12a009457dbf8b0f6364d5f3d4c92b3c96a841ccd88e440c1255677018089458", parameters.FirstParmsId.ToString());
        Assert.Equal(parameters.FirstParmsId, parameters.ParmsIdAtLevel(3));
        Assert.Equal(3, parameters.PrimeCountOf(parameters.FirstParmsId));
    }
}
