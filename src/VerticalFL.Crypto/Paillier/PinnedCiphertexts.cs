using System.Runtime.InteropServices;
using VerticalFL.Crypto.Native;

namespace VerticalFL.Crypto.Paillier;

/// <summary>
/// Checks that a list of ciphertexts belongs to one key and keeps every one alive (AddRef) while the hot loops
/// read their raw pointers, which sit in one native array (no per-element work inside the loops).
/// </summary>
internal sealed unsafe class PinnedCiphertexts : IDisposable
{
    private readonly IReadOnlyList<Ciphertext> ciphertexts;
    private int pinned;
    private bool disposed;

    public PinnedCiphertexts(PaillierPublicKey key, IReadOnlyList<Ciphertext> ciphertexts, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(ciphertexts, parameterName);
        this.ciphertexts = ciphertexts;
        Pointers = (Mpz**)NativeMemory.Alloc((nuint)Math.Max(ciphertexts.Count, 1), (nuint)sizeof(Mpz*));
        try
        {
            for (var i = 0; i < ciphertexts.Count; i++)
            {
                var ciphertext = ciphertexts[i] ?? throw new ArgumentNullException($"{parameterName}[{i}]");
                key.EnsureMatches(ciphertext.Key, $"{parameterName}[{i}]");
                var added = false;
                ciphertext.Value.DangerousAddRef(ref added);
                pinned++;
                Pointers[i] = ciphertext.Value.Pointer;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public Mpz** Pointers { get; }

    public int Count => ciphertexts.Count;

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        for (var i = 0; i < pinned; i++)
        {
            ciphertexts[i].Value.DangerousRelease();
        }

        NativeMemory.Free(Pointers);
    }
}
