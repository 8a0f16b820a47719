using System.Text.Json;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Serialization;

namespace VerticalFL.Crypto.Tests.Ckks;

/// <summary>
/// Known answers from real SEAL: Fixtures/ was written by tests/seal/fixtures.mjs with node-seal 7.0.0
/// (Microsoft SEAL 4.1); see Fixtures/README.md. None of these values come from our code.
/// </summary>
public sealed class SealKnownAnswerTests
{
    private static readonly JsonElement Fixture =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(SealNode.FixturesDir, "seal-known-answers.json"))).RootElement;

    public static TheoryData<string> Sets() => ["n8192-60-40-40-60", "n8192-60-60-60", "n4096-36-36-37"];

    private static JsonElement Set(string name) =>
        Fixture.GetProperty("parameter_sets").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    private static CkksParameters Create(JsonElement set) =>
        CkksParameters.Create(set.GetProperty("n").GetInt32(), set.GetProperty("coeff_bits").EnumerateArray().Select(b => b.GetInt32()).ToArray());

    private static string Hex(ParmsId id)
    {
        var bytes = new byte[32];
        id.WriteBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    [Theory, MemberData(nameof(Sets))]
    public void CoeffModulusCreate_GivesSealsPrimes(string name)
    {
        var set = Set(name);
        var expected = set.GetProperty("primes").EnumerateArray().Select(p => ulong.Parse(p.GetString()!)).ToArray();
        Assert.Equal(expected, Create(set).CoeffModulus);
    }

    [Theory, MemberData(nameof(Sets))]
    public void ParmsId_OfEveryLevel_IsSeals(string name)
    {
        var set = Set(name);
        var parameters = Create(set);
        foreach (var level in set.GetProperty("levels").EnumerateArray())
            Assert.Equal(level.GetProperty("parms_id").GetString(), Hex(parameters.ParmsIdAtLevel(level.GetProperty("prime_count").GetInt32())));
    }

    [Theory, MemberData(nameof(Sets))]
    public void EncryptionParameters_SavedBytes_AreSeals(string name)
    {
        var set = Set(name);
        Assert.Equal(set.GetProperty("encryption_parameters").GetString(), Convert.ToHexStringLower(SealSerializer.Save(Create(set))));
    }

    [Theory, MemberData(nameof(Sets))]
    public void EncryptionParameters_SealsBytes_LoadAsTheSameParameters(string name)
    {
        var set = Set(name);
        var loaded = SealSerializer.LoadParameters(Convert.FromHexString(set.GetProperty("encryption_parameters").GetString()!), name);
        Assert.Equal(set.GetProperty("n").GetInt32(), loaded.PolyModulusDegree);
        Assert.Equal(set.GetProperty("primes").EnumerateArray().Select(p => ulong.Parse(p.GetString()!)), loaded.CoeffModulus);
        Assert.Equal(set.GetProperty("levels")[0].GetProperty("parms_id").GetString(), Hex(loaded.KeyParmsId));
    }

    public static TheoryData<int> PlaintextIndexes() => [0, 1];

    [Theory, MemberData(nameof(PlaintextIndexes))]
    public void Plaintext_SealsBytes_LoadAndSaveByteForByte(int index)
    {
        var (parameters, file, _, _) = PlaintextFixture(index);
        var bytes = File.ReadAllBytes(file);
        var plain = SealSerializer.LoadPlaintext(bytes, parameters, file);
        Assert.Equal(parameters.FirstParmsId, plain.ParmsId);
        Assert.Equal(bytes, SealSerializer.Save(plain));
    }

    [Theory, MemberData(nameof(PlaintextIndexes))]
    public void Encoder_FixedVector_GivesSealsPlaintextBytes(int index)
    {
        var (parameters, file, values, scale) = PlaintextFixture(index);
        var plain = new CkksEncoder(new CkksContext(parameters)).Encode(values, scale);
        Assert.Equal(File.ReadAllBytes(file), SealSerializer.Save(plain));
    }

    private static (CkksParameters Parameters, string File, double[] Values, double Scale) PlaintextFixture(int index)
    {
        var entry = Fixture.GetProperty("plaintexts")[index];
        var parameters = Create(Set(entry.GetProperty("set").GetString()!));
        Assert.Equal(entry.GetProperty("parms_id").GetString(), Hex(parameters.FirstParmsId));
        var values = Fixture.GetProperty("plaintext_values").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        return (parameters, Path.Combine(SealNode.FixturesDir, entry.GetProperty("file").GetString()!), values,
            Math.Pow(2, entry.GetProperty("scale_bits").GetInt32()));
    }
}
