using VerticalFL.Protocol.Serving;

namespace VerticalFL.Protocol.Tests.Serving;

public sealed class ReplayWindowTests
{
    [Fact]
    public void TryAccept_OutOfOrderOnce_RepeatsAndTooOldRefused()
    {
        var window = new ReplayWindow();
        Assert.True(window.TryAccept(5));
        Assert.True(window.TryAccept(3));        // late but new
        Assert.False(window.TryAccept(3));
        Assert.False(window.TryAccept(5));
        Assert.True(window.TryAccept(5 + ReplayWindow.Width));
        Assert.False(window.TryAccept(4));       // fell out of the window: cannot tell, so refused
        Assert.True(window.TryAccept(6 + ReplayWindow.Width));
        Assert.False(window.TryAccept(5 + ReplayWindow.Width));
    }

    [Fact]
    public void TryAccept_ManyConcurrentIds_EachAcceptedExactlyOnce()
    {
        var window = new ReplayWindow();
        int accepted = 0;
        Parallel.For(1, 2001, i =>
        {
            if (window.TryAccept((ulong)i)) Interlocked.Increment(ref accepted);
            if (window.TryAccept((ulong)i)) Interlocked.Increment(ref accepted);
        });
        Assert.Equal(2000, accepted);
    }
}
