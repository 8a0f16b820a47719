namespace VerticalFL.Crypto.Ckks;

/// <summary>Negacyclic NTT modulo one prime with SEAL's root (minimal primitive 2N-th root) and bit-reversed output.</summary>
internal sealed class NttTables
{
    public NttTables(int n, ulong q)
    {
        N = n;
        Modulus = q;
        Root = PrimeMath.MinimalPrimitiveRoot(2UL * (ulong)n, q);
    }

    public int N { get; }

    public ulong Modulus { get; }

    public ulong Root { get; }

    public void Forward(Span<ulong> values) => throw new NotImplementedException();

    public void Inverse(Span<ulong> values) => throw new NotImplementedException();
}
