using System.Globalization;
using System.Text.RegularExpressions;
using VerticalFL.Board.Data;
using VerticalFL.Board.Rendering;
using VerticalFL.Storage;

namespace VerticalFL.Board.Tests;

public sealed class RenderingTests
{
    private static readonly DateTime T0 = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void LossChart_PolylinePoints_MatchTheIterations()
    {
        double[] losses = [0.69, 0.61, 0.58, 0.575, 0.6];
        var epochs = losses.Select((l, i) => new EpochRow(i + 1, l, null, null, null, 1, 0)).ToList();
        var chart = new SvgLineChart { Id = "chart-loss", Title = "loss" };

        string svg = chart.Render([JobHtml.Series("loss", epochs, e => e.Loss)]);

        var points = PolylinePoints(svg, "loss");
        Assert.Equal(losses.Length, points.Count);
        var scale = ChartScale.For(epochs.Select(e => ((double)e.Number, e.Loss!.Value)), null, null, null, null,
            new ChartArea(56, 28, SvgLineChart.Width - 72, SvgLineChart.Height - 68));
        for (int i = 0; i < losses.Length; i++)
        {
            Assert.Equal(scale.X(i + 1), points[i].X, 1);
            Assert.Equal(scale.Y(losses[i]), points[i].Y, 1);
        }
        // Higher loss is drawn higher up (smaller SVG y): the first epoch is the top, the fourth the bottom.
        Assert.Equal(points.Min(p => p.Y), points[0].Y);
        Assert.Equal(points.Max(p => p.Y), points[3].Y);
    }

    [Fact]
    public void Chart_EpochsWithoutAValue_AreLeftOut()
    {
        var epochs = new[] { new EpochRow(1, 0.7, 0.6, null, null, 1, 0), new EpochRow(2, 0.6, null, null, null, 1, 0), new EpochRow(3, 0.5, 0.7, null, null, 1, 0) };

        var series = JobHtml.Series("auc", epochs, e => e.Auc);

        Assert.Equal([(1.0, 0.6), (3.0, 0.7)], series.Points);
    }

    [Fact]
    public void JobsPage_ScriptInJobName_IsShownAsText()
    {
        var job = Summary("job-1", "<script>alert('x')</script>", JobState.Training);
        var view = new JobListView([job], new JobListQuery(), null, T0);

        string html = JobsHtml.Render(view, "bank", "v");

        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Single(Regex.Matches(html, "<script"));   // only the board's own script file
    }

    [Fact]
    public void JobPage_StoredStrings_AreEncodedEverywhere()
    {
        const string evil = "<img src=x onerror=alert(1)>";
        var job = Summary("job-2", evil, JobState.Failed) with { Reason = "telecom failed: " + evil };
        var record = Record(job);
        var view = new JobView(job, "bank", "bank", StateTimeline.Of(record, [], T0), FailureAttribution.Of(record, "bank"), 10,
            [new EpochRow(1, 0.5, null, null, null, 1, 0)], null, null,
            [new ModelPartView("bank", PartyRole.Guest, 1, evil, [(evil, 0.5)], 0.1, T0)], [new(evil, evil)],
            [new PeerTraffic(evil, AuditDirection.Sent, 1, 10)], "name: " + evil, T0);

        string html = JobHtml.Render(view, "bank", "v");

        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.Contains("id=\"job-failure\"", html);
    }

    [Fact]
    public void JobPage_RocAndKsCharts_DrawTheStoredPoints()
    {
        var job = Summary("job-3", "roc", JobState.Succeeded);
        var roc = new RocView(0.8, 0.5, [(0, 0, 0), (0.3, 0.1, 0.6), (1, 1, 1)]);
        var view = new JobView(job, "bank", "bank", [], null, null, [], null, roc, [], [], [], "", T0);

        string html = JobHtml.Render(view, null, "v");

        Assert.Equal(3, PolylinePoints(Chart(html, "chart-roc"), "tpr").Count);
        Assert.Equal(3, PolylinePoints(Chart(html, "chart-ks"), "tpr − fpr").Count);
    }

    [Theory]
    [InlineData("telecom failed: the party is shutting down", "telecom")]
    [InlineData("telecom2 failed: data error at telecom2 (ref R-1)", "telecom2")]
    [InlineData("telecom refused the job: guest set too large", "telecom")]
    [InlineData("failed at the guest: the party restarted", "bank")]
    [InlineData("nothing heard from the job's guest bank for 600 s", "bank")]
    [InlineData("the intersection with the guest is empty", "telecom2")]
    public void FailureAttribution_NamesTheFailedParty(string reason, string expected)
    {
        var job = Record(Summary("j", "n", JobState.Failed) with { Reason = reason, Role = PartyRole.Host });

        var failure = FailureAttribution.Of(job, "telecom2");

        Assert.Equal(expected, failure!.Party);
    }

    [Fact]
    public void StateTimeline_SpansRunToTheNextStateAndNowForTheCurrentOne()
    {
        var job = Record(Summary("j", "n", JobState.Training));
        JobEvent[] events = [new(JobState.Pending, T0), new(JobState.Psi, T0.AddSeconds(2)), new(JobState.Training, T0.AddSeconds(5))];

        var spans = StateTimeline.Of(job, events, T0.AddSeconds(12));

        Assert.Equal([2.0, 3.0, 7.0], spans.Select(s => s.Spent.TotalSeconds));
        Assert.True(spans[^1].Current);
    }

    [Fact]
    public void Options_NonLoopbackWithoutToken_IsRefusedNamingTheSetting()
    {
        var options = new BoardOptions { Endpoint = System.Net.IPEndPoint.Parse("0.0.0.0:8080") };

        var e = Assert.Throws<ArgumentException>(options.Check);

        Assert.Contains("listen.board: 0.0.0.0:8080 is not a loopback address", e.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("12~")]
    [InlineData("-5~job")]
    public void Cursor_Malformed_IsRefusedNamingTheParameter(string text) =>
        Assert.StartsWith("after:", Assert.Throws<FormatException>(() => Links.ParseCursor(text)).Message);

    [Fact]
    public void Cursor_RoundTrips()
    {
        var cursor = new JobCursor(T0.AddTicks(123), "job-x");

        Assert.Equal(cursor, Links.ParseCursor(Links.Cursor(cursor)));
    }

    internal static List<(double X, double Y)> PolylinePoints(string svg, string series)
    {
        var match = Regex.Match(svg, $"<polyline data-series=\"{Regex.Escape(System.Net.WebUtility.HtmlEncode(series))}\"[^>]* points=\"([^\"]*)\"");
        Assert.True(match.Success, $"no polyline for {series}");
        return [.. match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split(','))
            .Select(xy => (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture)))];
    }

    private static string Chart(string html, string id)
    {
        int start = html.IndexOf($"<svg id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no chart {id}");
        return html[start..(html.IndexOf("</svg>", start, StringComparison.Ordinal) + 6)];
    }

    private static JobSummary Summary(string id, string name, JobState state) => new(id, name, "train", state, PartyRole.Guest, 1, 5, 0.2,
        [new JobParty("bank", PartyRole.Guest), new JobParty("telecom", PartyRole.Host), new JobParty("telecom2", PartyRole.Host)],
        T0, T0.AddMinutes(1), null);

    private static JobRecord Record(JobSummary s) =>
        new(s.Id, s.Role, "bank", s.Participants, "", s.State, s.Reason, s.Epoch, s.Progress, s.CreatedUtc, s.UpdatedUtc);
}
