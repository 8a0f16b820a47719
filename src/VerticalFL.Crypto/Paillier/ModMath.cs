using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>Modular helpers over raw <c>mpz_t</c> pointers for the hot loops.</summary>
internal static unsafe class ModMath
{
    /// <summary>result = a·b mod m. <paramref name="product"/> is scratch that must not alias the others; result may alias a or b.</summary>
    public static void Multiply(Mpz* result, Mpz* a, Mpz* b, Mpz* m, Mpz* product)
    {
        GmpNative.Multiply(product, a, b);
        GmpNative.Remainder(result, product, m);
    }

    /// <summary>g^m = 1 + (m mod n)·n (mod n²) for g = n+1, without exponentiation; m is signed with |m| &lt; n.</summary>
    public static void GeneratorPower(Mpz* result, Mpz* plaintext, Mpz* n)
    {
        if (plaintext->Size < 0)
        {
            GmpNative.Add(result, plaintext, n);
            GmpNative.Multiply(result, result, n);
        }
        else
        {
            GmpNative.Multiply(result, plaintext, n);
        }

        GmpNative.AddUnsigned(result, result, 1);
    }
}
