using Microsoft.Extensions.Logging;
using VerticalFL.Party.Config;
using VerticalFL.Party.Jobs;

namespace VerticalFL.IntegrationTests;

/// <summary>Issue 14, finding 9: what crosses to another organisation of a party's job reasons.</summary>
public sealed class SharedReasonsTests
{
    private readonly ListLogger _log = new();

    private SharedReasons Telecom() => new(new PartyConfig
    {
        Party = new PartySection { Id = "telecom", Role = "host" },
        Data = new() { ["subscribers"] = "/srv/telecom/subscribers.csv" },
        WorkDir = "/var/lib/vfl/telecom",
    }, _log);

    [Theory]
    [InlineData("/srv/telecom/subscribers.csv:12:4: 'abc' is not a number", "data error")]
    [InlineData("subscribers.csv:7: duplicate id 'C-1042'", "data error")]
    [InlineData("file error: could not write /var/lib/vfl/telecom/jobs/j/aligned.csv", "data error")]
    [InlineData("Party 'telecom' has no data source named 'subs' (configured: subscribers, subscribers20k).", "unknown data source")]
    public void Share_ReasonWithThisPartysInternals_CrossesAsCategoryAndReferenceOnly(string reason, string category)
    {
        string shared = Telecom().Share("job-1", reason);

        Assert.Matches($"^{category} at telecom \\(ref R-[0-9a-f]{{8}}\\); telecom's operator has the details in its log$", shared);
        string reference = System.Text.RegularExpressions.Regex.Match(shared, "R-[0-9a-f]{8}").Value;
        Assert.Contains(_log.Lines, l => l.Contains(reference) && l.Contains(reason));   // the details stay here, findable by the reference
    }

    [Theory]
    [InlineData("cancelled by bank: wrong data")]
    [InlineData("guest set 900 ids exceeds policy.max_guest_set_ratio 0.5 × 1000")]
    [InlineData("the party is shutting down")]
    [InlineData("the proposal's participants [arbiter as arbiter] do not include telecom")]   // the party's own name is no secret
    public void Share_ReasonWithoutInternals_CrossesUnchanged(string reason)
    {
        Assert.Equal(reason, Telecom().Share("job-1", reason));
        Assert.Empty(_log.Lines);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
