using System.Numerics;
using System.Runtime.InteropServices;

namespace VerticalFL.Crypto.Native;

/// <summary>
/// Owns one <c>mpz_t</c> in native memory. Secret values are wiped before their limbs are freed.
/// Use <see cref="Pin"/> to hold a pointer safely while another thread could dispose the handle.
/// </summary>
internal sealed unsafe class GmpInteger : SafeHandle
{
    private readonly bool secret;

    private GmpInteger(bool secret) : base(IntPtr.Zero, ownsHandle: true) => this.secret = secret;

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The raw pointer; only valid while the handle is alive (see <see cref="Pin"/>).</summary>
    internal Mpz* Pointer => (Mpz*)handle;

    /// <summary>A zero with room for <paramref name="bits"/> bits before GMP reallocates.</summary>
    public static GmpInteger Create(int bits, bool secret = false)
    {
        GmpLibrary.EnsureAvailable();
        var result = new GmpInteger(secret);
        var mpz = (Mpz*)NativeMemory.Alloc((nuint)sizeof(Mpz));
        GmpNative.Init2(mpz, (nuint)bits);
        result.SetHandle((nint)mpz);
        return result;
    }

    public static GmpInteger FromBigInteger(BigInteger value, bool secret = false)
    {
        var result = Create((int)value.GetBitLength() + 64, secret);
        GmpConvert.Set(result.Pointer, value);
        return result;
    }

    public GmpPin Pin() => new(this);

    public BigInteger ToBigInteger()
    {
        using var pin = Pin();
        return GmpConvert.ToBigInteger(pin.Pointer);
    }

    protected override bool ReleaseHandle()
    {
        var mpz = (Mpz*)handle;
        if (secret)
        {
            GmpConvert.Wipe(mpz);
        }

        GmpNative.Clear(mpz);
        NativeMemory.Free(mpz);
        return true;
    }
}

/// <summary>Keeps a native handle alive (AddRef) while its pointer is in use, even if another thread disposes it.</summary>
internal readonly unsafe ref struct GmpPin
{
    private readonly SafeHandle owner;

    public GmpPin(SafeHandle owner)
    {
        var added = false;
        owner.DangerousAddRef(ref added);
        this.owner = owner;
        Pointer = (Mpz*)owner.DangerousGetHandle();
    }

    /// <summary>The (first) pinned <c>mpz_t</c>.</summary>
    public Mpz* Pointer { get; }

    /// <summary>Element <paramref name="index"/> of a pinned <see cref="GmpIntegerArray"/>.</summary>
    public Mpz* this[int index] => Pointer + index;

    public void Dispose() => owner.DangerousRelease();
}
