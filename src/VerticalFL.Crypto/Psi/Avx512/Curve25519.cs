using System.Globalization;
using System.Numerics;

namespace VerticalFL.Crypto.Psi.Avx512;

/// <summary>The constants of edwards25519 and ristretto255, as given in RFC 9496 §4.1.</summary>
internal static class Curve25519
{
    public static readonly BigInteger P = (BigInteger.One << 255) - 19;

    /// <summary>The Edwards d = −121665/121666.</summary>
    public static readonly BigInteger D = Parse("37095705934669439343138083508754565189542113879843219016388785533085940283555");

    public static readonly BigInteger SqrtM1 = Parse("19681161376707505956807079304988542015446066515923890162744021073123829784752");

    public static readonly BigInteger InvSqrtAMinusD = Parse("54469307008909316920995813868745141605393597292927456921205312896311721017578");

    /// <summary>√(a·d − 1) = √(−d − 1), the root RFC 9496 fixes.</summary>
    public static readonly BigInteger SqrtAdMinusOne = Parse("25063068953384623474111414158702152701244531502492656460079210482610430750235");

    public static readonly FieldElement8 OneField = FieldElement8.Broadcast(BigInteger.One);
    public static readonly FieldElement8 TwoField = FieldElement8.Broadcast(2);
    public static readonly FieldElement8 DField = FieldElement8.Broadcast(D);
    public static readonly FieldElement8 TwoDField = FieldElement8.Broadcast(2 * D);
    public static readonly FieldElement8 SqrtM1Field = FieldElement8.Broadcast(SqrtM1);
    public static readonly FieldElement8 InvSqrtAMinusDField = FieldElement8.Broadcast(InvSqrtAMinusD);
    public static readonly FieldElement8 MinusOneField = FieldElement8.Broadcast(-1);
    public static readonly FieldElement8 SqrtAdMinusOneField = FieldElement8.Broadcast(SqrtAdMinusOne);
    public static readonly FieldElement8 OneMinusDSquaredField = FieldElement8.Broadcast(1 - D * D);
    public static readonly FieldElement8 DMinusOneSquaredField = FieldElement8.Broadcast((D - 1) * (D - 1));

    private static BigInteger Parse(string digits) => BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
