namespace VerticalFL.Protocol.Tests.Serving;

/// <summary>A clock the test moves by hand: limits are tested by stepping time, never by sleeping.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
