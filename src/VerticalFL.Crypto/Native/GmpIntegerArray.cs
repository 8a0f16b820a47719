using System.Runtime.InteropServices;

namespace VerticalFL.Crypto.Native;

/// <summary>
/// A contiguous native block of <c>mpz_t</c>s, each preallocated to a capacity: scratch space for hot loops
/// (buckets, temporaries, tables) so they never allocate per element.
/// </summary>
internal sealed unsafe class GmpIntegerArray : SafeHandle
{
    private readonly bool secret;

    private GmpIntegerArray(int length, bool secret) : base(IntPtr.Zero, ownsHandle: true)
    {
        Length = length;
        this.secret = secret;
    }

    public int Length { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Element <paramref name="index"/>; valid while this array is alive. Not bounds-checked in Release.</summary>
    public Mpz* this[int index]
    {
        get
        {
            System.Diagnostics.Debug.Assert((uint)index < (uint)Length);
            return (Mpz*)handle + index;
        }
    }

    public GmpPin Pin() => new(this);

    public static GmpIntegerArray Create(int length, int bitsEach, bool secret = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        GmpLibrary.EnsureAvailable();
        var result = new GmpIntegerArray(length, secret);
        var block = (Mpz*)NativeMemory.Alloc((nuint)Math.Max(length, 1), (nuint)sizeof(Mpz));
        for (var i = 0; i < length; i++)
        {
            GmpNative.Init2(block + i, (nuint)bitsEach);
        }

        result.SetHandle((nint)block);
        return result;
    }

    protected override bool ReleaseHandle()
    {
        var block = (Mpz*)handle;
        for (var i = 0; i < Length; i++)
        {
            if (secret)
            {
                GmpConvert.Wipe(block + i);
            }

            GmpNative.Clear(block + i);
        }

        NativeMemory.Free(block);
        return true;
    }
}
