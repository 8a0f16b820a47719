using System.Runtime.InteropServices;

namespace VerticalFL.Crypto.Native;

/// <summary>
/// A small block of native memory holding a secret. Native so the GC never copies it; zeroed with
/// <c>sodium_memzero</c> before it is freed (on Dispose or, failing that, by the finaliser).
/// </summary>
internal sealed unsafe class SodiumSecretHandle : SafeHandle
{
    private SodiumSecretHandle(int length) : base(IntPtr.Zero, ownsHandle: true)
    {
        Length = length;
        SetHandle((IntPtr)NativeMemory.AllocZeroed((nuint)length));
    }

    public int Length { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static SodiumSecretHandle Allocate(int length) => new(length);

    protected override bool ReleaseHandle()
    {
        SodiumNative.sodium_memzero((byte*)handle, (nuint)Length);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
