using System.Runtime.InteropServices;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// Products modulo n² on fixed-width limb arrays (k = limbs of n²) for the multi-exponentiation loops.
/// With GMP's Montgomery reduction a product is a·b·R⁻¹ (R = 2^(64k)), about 1.3× cheaper than a·b mod n²
/// by division; callers track the power of R in each value (<see cref="ProductShift"/>) and remove it once
/// per result (<see cref="ToResidue"/>). Without it, products are plain and the shift is 0.
/// Values stay below 2^(64k) but may exceed n² until <see cref="ToResidue"/>.
/// </summary>
internal sealed unsafe class ResidueArithmetic
{
    private readonly PaillierPublicKey key;
    private readonly ulong[] modulusLimbs; // pinned: lives as long as this object
    private readonly ulong* modulus;
    private readonly ulong[] inverseLimbs; // pinned: n²⁻¹ mod R
    private readonly ulong* inverse;
    private readonly delegate* unmanaged<ulong*, ulong*, ulong*, nint, ulong*, void> reduce;
    private readonly GmpInteger rModulo; // R mod n²

    public ResidueArithmetic(PaillierPublicKey key, bool allowMontgomery = true)
    {
        this.key = key;
        using var nn = key.NSquared.Pin();
        Limbs = nn.Pointer->Size;
        modulusLimbs = GC.AllocateArray<ulong>(Limbs, pinned: true);
        modulus = (ulong*)Marshal.UnsafeAddrOfPinnedArrayElement(modulusLimbs, 0);
        Buffer.MemoryCopy((void*)nn.Pointer->Limbs, modulus, Limbs * sizeof(ulong), Limbs * sizeof(ulong));
        reduce = allowMontgomery ? GmpLibrary.MontgomeryReduce : null;
        rModulo = GmpInteger.Create(key.ResidueBits + 128);
        GmpNative.SetUnsigned(rModulo.Pointer, 1);
        GmpNative.ShiftLeft(rModulo.Pointer, rModulo.Pointer, (nuint)(64 * Limbs));
        inverseLimbs = GC.AllocateArray<ulong>(Limbs, pinned: true);
        inverse = (ulong*)Marshal.UnsafeAddrOfPinnedArrayElement(inverseLimbs, 0);
        using (var x = GmpInteger.Create(key.ResidueBits + 128))
        {
            GmpNative.Invert(x.Pointer, nn.Pointer, rModulo.Pointer);
            Buffer.MemoryCopy((void*)x.Pointer->Limbs, inverse, Limbs * sizeof(ulong), x.Pointer->Size * sizeof(ulong));
        }

        GmpNative.Remainder(rModulo.Pointer, rModulo.Pointer, nn.Pointer);
    }

    /// <summary>Limbs of every value and operand.</summary>
    public int Limbs { get; }

    /// <summary>Limbs of the product scratch passed to <see cref="Multiply"/> and <see cref="Square"/>.</summary>
    public int ScratchLimbs => 3 * Limbs + 1;

    /// <summary>How a product changes the power of R carried by its operands: −1 (Montgomery) or 0.</summary>
    public int ProductShift => reduce is null ? 0 : -1;

    /// <summary>r = a·b (·R⁻¹); r may alias a or b; <paramref name="scratch"/> has <see cref="ScratchLimbs"/> limbs.</summary>
    public void Multiply(ulong* r, ulong* a, ulong* b, ulong* scratch)
    {
        GmpNative.LimbsMultiply(scratch, a, b, Limbs);
        Reduce(r, scratch);
    }

    public void Square(ulong* r, ulong* a, ulong* scratch)
    {
        GmpNative.LimbsSquare(scratch, a, Limbs);
        Reduce(r, scratch);
    }

    /// <summary>The operand form of a residue mpz: its limbs, or a zero-padded copy in <paramref name="pad"/> when shorter.</summary>
    public ulong* Operand(Mpz* value, ulong* pad)
    {
        if (value->Size == Limbs)
        {
            return (ulong*)value->Limbs;
        }

        new Span<ulong>(pad, Limbs).Clear();
        Buffer.MemoryCopy((void*)value->Limbs, pad, Limbs * sizeof(ulong), value->Size * sizeof(ulong));
        return pad;
    }

    /// <summary>result = value·R^(−power) mod n², fully reduced: the true residue of a value carrying R^power (power ≤ 0).</summary>
    public void ToResidue(Mpz* result, ulong* value, long power, Mpz* scratch1, Mpz* scratch2)
    {
        var nn = key.NSquared.Pointer;
        GmpNative.Import(result, (nuint)Limbs, -1, sizeof(ulong), 0, 0, (byte*)value);
        GmpNative.Remainder(result, result, nn);
        if (power != 0)
        {
            GmpNative.SetUnsigned(scratch1, (nuint)(ulong)(-power));
            GmpNative.PowMod(scratch2, rModulo.Pointer, scratch1, nn);
            ModMath.Multiply(result, result, scratch2, nn, scratch1);
        }

        GC.KeepAlive(key);
    }

    private void Reduce(ulong* r, ulong* product)
    {
        if (reduce is not null)
        {
            reduce(r, product, modulus, Limbs, inverse);
        }
        else
        {
            GmpNative.LimbsDivide(product + 2 * Limbs, r, 0, product, 2 * Limbs, modulus, Limbs);
        }
    }
}
