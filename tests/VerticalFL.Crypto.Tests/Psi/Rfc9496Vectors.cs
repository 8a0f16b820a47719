namespace VerticalFL.Crypto.Tests.Psi;

/// <summary>Test vectors from RFC 9496 ("The ristretto255 and decaf448 Groups"), Appendix A.</summary>
internal static class Rfc9496Vectors
{
    /// <summary>A.1: encodings of k·B for small k (B the generator), as (k, hex).</summary>
    public static readonly (int K, string Encoding)[] SmallMultiples =
    [
        (1, "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76"),
        (2, "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919"),
        (3, "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259"),
        (4, "da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57"),
        (5, "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e"),
        (15, "e0c418f7c8d9c4cdd7395b93ea124f3ad99021bb681dfc3302a9d99a2e53e64e"),
    ];

    /// <summary>A.2: byte strings that are not valid ristretto255 encodings.</summary>
    public static readonly string[] InvalidEncodings =
    [
        // non-canonical field encodings
        "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        // negative field elements
        "0100000000000000000000000000000000000000000000000000000000000000",
        // non-square x^2
        "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
        "32888462f8b486c68ad7dd9610be5192bbeaf3b443951ac1a8118419d9fa097b",
        "227142501b9d4355ccba290404bde41575b037693cef1f438c47f8fbf35d1165",
        "5c37cc491da847cfeb9281d407efc41e15144c876e0170b499a96a22ed31e01e",
        "445425117cb8c90edcbc7c1cc0e74f747f2c1efa5630a967c64f287792a48a4b",
        // s = -1, which causes y = 0
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ];

    /// <summary>A.3: element derivation of SHA-512(label) for each label, as (label, hex).</summary>
    public static readonly (string Label, string Encoding)[] HashToGroup =
    [
        ("Ristretto is traditionally a short shot of espresso coffee", "3066f82a1a747d45120d1740f14358531a8f04bbffe6a819f86dfe50f44a0a46"),
        ("made with the normal amount of ground coffee but extracted with", "f26e5b6f7d362d2d2a94c5d0e7602cb4773c95a2e5c31a64f133189fa76ed61b"),
        ("about half the amount of water in the same amount of time", "006ccd2a9e6867e6a2c5cea83d3302cc9de128dd2a9a57dd8ee7b9d7ffe02826"),
        ("by using a finer grind.", "f8f0c87cf237953c5890aec3998169005dae3eca1fbb04548c635953c817f92a"),
        ("This produces a concentrated shot of coffee per volume.", "ae81e7dedf20a497e10c304a765c1767a42d6e06029758d2d7e8ef7cc4c41179"),
        ("Just pulling a normal shot short will produce a weaker shot", "e2705652ff9f5e44d3e841bf1c251cf7dddb77d140870d1ab2ed64f1a9ce8628"),
        ("and is not a Ristretto as some believe.", "80bd07262511cdde4863f8a7434cef696750681cb9510eea557088f76d9e5065"),
    ];

    /// <summary>Small scalar k as 32 little-endian bytes.</summary>
    public static byte[] Scalar(int k)
    {
        var scalar = new byte[32];
        BitConverter.TryWriteBytes(scalar, k);
        return scalar;
    }
}
