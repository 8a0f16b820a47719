using System.Diagnostics;
using System.Numerics;
using System.Security.Cryptography;
using VerticalFL.Crypto.Io;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// A Paillier private key: the primes p, q and the CRT constants for decryption, held only in native memory
/// that is wiped on <see cref="Dispose"/>. Only this type can build a <see cref="PaillierDecryptor"/>.
/// </summary>
[DebuggerDisplay("Paillier private key ({PublicKey.ModulusBits} bits)")]
public sealed unsafe class PaillierPrivateKey : IDisposable
{
    // Indices into the secret array.
    internal const int P = 0, Q = 1, PSquared = 2, QSquared = 3, PMinusOne = 4, QMinusOne = 5;
    internal const int Hp = 6, Hq = 7, QInverse = 8, SecretCount = 9;

    private PaillierPrivateKey(GmpIntegerArray secrets, PaillierPublicKey publicKey)
    {
        Secrets = secrets;
        PublicKey = publicKey;
    }

    public PaillierPublicKey PublicKey { get; }

    internal GmpIntegerArray Secrets { get; }

    /// <summary>A fresh key from the OS CSPRNG; <paramref name="modulusBits"/> is 2048 (default) or 3072.</summary>
    public static PaillierPrivateKey Generate(int modulusBits = 2048)
    {
        if (modulusBits is not (2048 or 3072))
        {
            throw new ArgumentOutOfRangeException(nameof(modulusBits), modulusBits, "Paillier keys are 2048 or 3072 bits.");
        }

        return GenerateCore(modulusBits);
    }

    /// <summary>A 1024-bit key: too weak for real data, fast enough for unit tests.</summary>
    public static PaillierPrivateKey GenerateTestOnly1024() => GenerateCore(1024);

    /// <summary>The key for given primes (any size), with a fresh or given hs: for known-answer tests.</summary>
    internal static PaillierPrivateKey FromPrimesForTesting(BigInteger p, BigInteger q, BigInteger? hs = null)
    {
        var bits = (int)(p * q).GetBitLength();
        var secrets = GmpIntegerArray.Create(SecretCount, 2 * bits + 64, secret: true);
        using (var pin = secrets.Pin())
        {
            GmpConvert.Set(pin[P], p);
            GmpConvert.Set(pin[Q], q);
        }

        return Build(secrets, hs is null ? null : GmpInteger.FromBigInteger(hs.Value), "p");
    }

    /// <summary>
    /// Layout (see PaillierKeyFormat): "VFLP" | 1 | 2 | u16 bits | p | q | hs. Contains the secret primes:
    /// wipe the array (CryptographicOperations.ZeroMemory) when done.
    /// </summary>
    public byte[] Export()
    {
        var bits = PublicKey.ModulusBits;
        var half = bits / 16;
        var result = new byte[PaillierKeyFormat.PrivateKeyBytes(bits)];
        PaillierKeyFormat.WriteHeader(result, PaillierKeyFormat.PrivateKind, bits);
        var body = result.AsSpan(PaillierKeyFormat.HeaderBytes);
        using var pin = Secrets.Pin();
        GmpConvert.WriteBigEndian(pin[P], body[..half]);
        GmpConvert.WriteBigEndian(pin[Q], body.Slice(half, half));
        using var hs = PublicKey.Hs.Pin();
        GmpConvert.WriteBigEndian(hs.Pointer, body[(2 * half)..]);
        return result;
    }

    /// <summary>Reads a key written by <see cref="Export"/>, checking that p and q are primes of the right size.</summary>
    public static PaillierPrivateKey Import(ReadOnlySpan<byte> source)
    {
        GmpLibrary.EnsureAvailable();
        var bits = PaillierKeyFormat.ReadHeader(source, PaillierKeyFormat.PrivateKind, nameof(source));
        var half = bits / 16;
        var body = source[PaillierKeyFormat.HeaderBytes..];
        var secrets = GmpIntegerArray.Create(SecretCount, 2 * bits + 64, secret: true);
        GmpInteger? hs = null;
        try
        {
            using (var pin = secrets.Pin())
            {
                GmpConvert.SetBigEndian(pin[P], body[..half]);
                GmpConvert.SetBigEndian(pin[Q], body.Slice(half, half));
                if (!IsPrimeOfBits(pin[P], bits / 2) || !IsPrimeOfBits(pin[Q], bits / 2) || GmpNative.Compare(pin[P], pin[Q]) == 0)
                {
                    throw new ArgumentException($"Not a valid {bits}-bit Paillier private key: p and q must be distinct {bits / 2}-bit primes.", nameof(source));
                }

                using var scratch = GmpIntegerArray.Create(2, bits + 64, secret: true);
                using var s = scratch.Pin();
                if (PrimeConditions.Problem(pin[P], pin[Q], s) is { } problem)
                {
                    throw new ArgumentException(
                        $"Not a usable {bits}-bit Paillier private key: {problem} (the DJN encryption needs it; keys made before this check may not satisfy it: generate a new one).",
                        nameof(source));
                }
            }

            hs = GmpInteger.Create(2 * bits + 64);
            GmpConvert.SetBigEndian(hs.Pointer, body[(2 * half)..]);
            var key = Build(secrets, hs, nameof(source));
            if (key.PublicKey.ModulusBits != bits)
            {
                key.Dispose();
                throw new ArgumentException($"Not a valid {bits}-bit Paillier private key: p·q has the wrong size.", nameof(source));
            }

            return key;
        }
        catch
        {
            secrets.Dispose();
            hs?.Dispose();
            throw;
        }
    }

    /// <summary>Writes <see cref="Export"/> to <paramref name="path"/> with mode 0600, atomically (temp file + rename).</summary>
    public void WriteToFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = Export();
        try
        {
            AtomicFile.Write(path, bytes, isPrivate: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public static PaillierPrivateKey ReadFromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bytes = File.ReadAllBytes(path);
        try
        {
            return Import(bytes);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: {e.Message}", nameof(path), e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Wipes and frees the secrets; decryptors built from this key stop working.</summary>
    public void Dispose() => Secrets.Dispose();

    private static PaillierPrivateKey GenerateCore(int modulusBits)
    {
        GmpLibrary.EnsureAvailable();
        var secrets = GmpIntegerArray.Create(SecretCount, 2 * modulusBits + 64, secret: true);
        using (var pin = secrets.Pin())
        using (var scratch = GmpIntegerArray.Create(2, modulusBits + 64, secret: true))
        using (var s = scratch.Pin())
        {
            PrimeGenerator.Generate(pin[P], modulusBits / 2);
            do
            {
                PrimeGenerator.Generate(pin[Q], modulusBits / 2);
            }
            while (GmpNative.Compare(pin[P], pin[Q]) == 0 || PrimeConditions.Problem(pin[P], pin[Q], s) is not null);
        }

        return Build(secrets, hs: null, "modulusBits");
    }

    /// <summary>From p and q in <paramref name="secrets"/>: n, the CRT constants and (if not given) a fresh hs.</summary>
    private static PaillierPrivateKey Build(GmpIntegerArray secrets, GmpInteger? hs, string parameterName)
    {
        using var pin = secrets.Pin();
        var bits = GmpConvert.BitLength(pin[P]) + GmpConvert.BitLength(pin[Q]);
        var n = GmpInteger.Create(bits + 64);
        GmpNative.Multiply(n.Pointer, pin[P], pin[Q]);
        using (var scratch = GmpIntegerArray.Create(2, 2 * bits + 64, secret: true))
        using (var s = scratch.Pin())
        {
            var invertible = PrecomputeHalf(pin[P], pin[PSquared], pin[PMinusOne], pin[Hp], n.Pointer, s[0])
                & PrecomputeHalf(pin[Q], pin[QSquared], pin[QMinusOne], pin[Hq], n.Pointer, s[0])
                & GmpNative.Invert(pin[QInverse], pin[Q], pin[P]) != 0;
            if (!invertible)
            {
                n.Dispose();
                throw new ArgumentException("Not a valid Paillier private key: p and q are not suitable primes.", parameterName);
            }
        }

        hs ??= GenerateHs(n.Pointer, bits);
        var publicKey = new PaillierPublicKey(n, hs);
        publicKey.ValidateGenerator(parameterName);
        return new PaillierPrivateKey(secrets, publicKey);
    }

    /// <summary>
    /// For one prime p: p², p−1 and hp = L_p(g^(p−1) mod p²)^(−1) mod p with L_p(x) = (x−1)/p and g = n+1,
    /// so that m mod p = L_p(c^(p−1) mod p²)·hp mod p. Returns false if hp does not exist.
    /// </summary>
    private static bool PrecomputeHalf(Mpz* p, Mpz* pSquared, Mpz* pMinusOne, Mpz* hp, Mpz* n, Mpz* t)
    {
        GmpNative.Multiply(pSquared, p, p);
        GmpNative.SubtractUnsigned(pMinusOne, p, 1);
        GmpNative.AddUnsigned(t, n, 1);
        GmpNative.Remainder(t, t, pSquared);
        GmpNative.PowModSecure(t, t, pMinusOne, pSquared);
        GmpNative.SubtractUnsigned(t, t, 1);
        GmpNative.DivideExact(t, t, p);
        return GmpNative.Invert(hp, t, p) != 0;
    }

    /// <summary>hs = h^n mod n² with h = −x² mod n for a random unit x (DJN): hs generates the n-th residues.</summary>
    private static GmpInteger GenerateHs(Mpz* n, int bits)
    {
        var hs = GmpInteger.Create(2 * bits + 64);
        using var scratch = GmpIntegerArray.Create(3, 2 * bits + 64);
        using var s = scratch.Pin();
        var bytes = new byte[(bits + 7) / 8 + 8];
        do
        {
            RandomNumberGenerator.Fill(bytes);
            GmpConvert.SetBigEndian(s[0], bytes);
            GmpNative.Remainder(s[0], s[0], n);
            GmpNative.Gcd(s[1], s[0], n);
        }
        while (GmpNative.CompareUnsigned(s[0], 1) <= 0 || GmpNative.CompareUnsigned(s[1], 1) != 0);

        GmpNative.Multiply(s[1], s[0], s[0]);
        GmpNative.Remainder(s[1], s[1], n);
        GmpNative.Subtract(s[1], n, s[1]);
        GmpNative.Multiply(s[2], n, n);
        GmpNative.PowMod(hs.Pointer, s[1], n, s[2]);
        return hs;
    }

    private static bool IsPrimeOfBits(Mpz* x, int bits) =>
        GmpConvert.BitLength(x) == bits && GmpNative.ProbablyPrime(x, PrimeGenerator.Repetitions) != 0;
}
