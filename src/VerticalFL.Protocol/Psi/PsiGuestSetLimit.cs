using System.Globalization;

namespace VerticalFL.Protocol.Psi;

/// <summary>
/// The largest guest set a host answers: <see cref="MaxRatio"/> times its own set. Checked on the size the guest
/// declares in its setup, before the host multiplies a single point; the batches that follow must then hold
/// exactly that many points (<see cref="PsiWire.PointsOf"/>), so a guest that under-declares is caught too.
/// </summary>
/// <param name="MaxRatio">Guest ids allowed per host id.</param>
/// <param name="Setting">Where the limit is configured, named in the refusal (e.g. <c>policy.max_guest_set_ratio</c>).</param>
public sealed record PsiGuestSetLimit(double MaxRatio, string Setting)
{
    /// <summary>Why a guest set of <paramref name="guestCount"/> ids is refused against a host set of <paramref name="hostCount"/>, or null.</summary>
    public string? Refusal(long guestCount, int hostCount)
    {
        if (guestCount <= MaxRatio * hostCount)
            return null;
        var n = CultureInfo.InvariantCulture;
        return string.Format(n, "guest set {0:N0} ids exceeds {1} {2} × {3:N0}", guestCount, Setting, MaxRatio, hostCount);
    }
}

/// <summary>A party refused the session under its policy (not a protocol error): the message is the reason.</summary>
public sealed class PsiRefusedException(string message) : InvalidOperationException(message);
