using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using VerticalFL.Storage;
using Xunit.Abstractions;
using static VerticalFL.Board.Tests.BoardStoreFixture;

namespace VerticalFL.Board.Tests;

/// <summary>Every page and API route over real HTTP, against a seeded store (one subclass per database).</summary>
public abstract class BoardHttpTests(BoardStoreFixture fixture, ITestOutputHelper output)
{
    private HttpClient Http => fixture.Http;

    [Theory]
    [InlineData("/board")]
    [InlineData("/board?state=succeeded&kind=train")]
    [InlineData("/board/jobs/" + BigJob)]
    [InlineData("/board/jobs/" + BigJob + "/audit")]
    [InlineData("/board/participants")]
    public async Task Page_IsHtmlUnderTheStrictCsp(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        string html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));   // nothing fetched from elsewhere
        Assert.DoesNotMatch("<script>", html);                                              // no inline script
    }

    [Fact]
    public async Task JobPage_ThousandEpochs_DrawsEveryEpochAndTheFacts()
    {
        string html = await Http.GetStringAsync("/board/jobs/" + BigJob);

        var loss = RenderingTests.PolylinePoints(html, "loss");
        Assert.Equal(Epochs, loss.Count);
        Assert.True(loss.Zip(loss.Skip(1)).All(p => p.First.X < p.Second.X && p.First.Y <= p.Second.Y + 0.01), "loss falls, x grows");
        Assert.Equal(Epochs, Regex.Matches(html, "<tr><td>\\d+</td><td>0\\.").Count);
        Assert.Contains("id=\"chart-roc\"", html);
        Assert.Contains("4,321 rows", html);
        Assert.Contains("<td>bank_x1</td><td>-0.500000</td>", html);
        Assert.Contains("id=\"final-metrics\"", html);
        Assert.Contains("id=\"audit-link\"", html);
    }

    [Fact]
    public async Task JobPage_Traffic_SumsTheAuditTrailPerPeer()
    {
        using var json = await Json($"/board/api/jobs/{BigJob}");

        var traffic = json.RootElement.GetProperty("traffic").EnumerateArray()
            .ToDictionary(t => t.GetProperty("peer").GetString()!, t => t.GetProperty("messages").GetInt64());
        Assert.Equal(AuditRows, traffic.Values.Sum());
        Assert.Equal(Enumerable.Range(0, AuditRows).Count(i => i % 3 == 0), traffic["arbiter"]);
    }

    [Fact]
    public async Task FailedJob_ShowsTheReasonAndTheFailedParty()
    {
        using var json = await Json($"/board/api/jobs/{FailedJob}");
        string html = await Http.GetStringAsync($"/board/jobs/{FailedJob}");

        Assert.Equal("telecom", json.RootElement.GetProperty("failure").GetProperty("party").GetString());
        Assert.Equal(["pending", "psi", "failed"], json.RootElement.GetProperty("states").EnumerateArray().Select(s => s.GetProperty("state").GetString()));
        Assert.Contains("<div class=\"failure\" id=\"job-failure\"><strong>telecom</strong>", html);
    }

    [Fact]
    public async Task ScriptInJobName_IsTextInListAndJobPage()
    {
        string list = await Http.GetStringAsync("/board");
        string page = await Http.GetStringAsync($"/board/jobs/{XssJob}");

        foreach (var html in new[] { list, page })
        {
            Assert.DoesNotContain(XssName, html);
            Assert.Contains(WebUtility.HtmlEncode(XssName), html);
        }
    }

    [Fact]
    public async Task JobList_NewestFirstPagedAndFiltered()
    {
        using var first = await Json("/board/api/jobs?limit=2");
        Assert.Equal([BigJob, XssJob], Ids(first));
        string next = first.RootElement.GetProperty("next").GetString()!;
        using var second = await Json("/board/api/jobs?limit=2&after=" + Uri.EscapeDataString(next));
        Assert.Equal([FailedJob, PsiJob], Ids(second));
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("next").ValueKind);

        using var failed = await Json("/board/api/jobs?state=failed");
        Assert.Equal([FailedJob], Ids(failed));
        using var psi = await Json("/board/api/jobs?kind=psi");
        Assert.Equal([PsiJob], Ids(psi));
        using var train = await Json("/board/api/jobs?kind=train&state=succeeded");
        Assert.Equal([BigJob], Ids(train));

        string html = await Http.GetStringAsync("/board?limit=2");
        Assert.Contains("id=\"jobs-next\"", html);
    }

    [Fact]
    public async Task Audit_PagedByIdCursor_CoversTheTrailOnce()
    {
        var seen = new List<long>();
        long after = 0;
        using (var page = await Json($"/board/api/jobs/{BigJob}/audit?limit=500"))
        {
            seen.AddRange(page.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            after = page.RootElement.GetProperty("next_after").GetInt64();
        }
        Assert.Equal(500, seen.Count);
        Assert.Equal(seen[^1], after);
        // Jump near the end: the last page holds the rest and says there is no next one.
        long lastId = seen[0] + AuditRows - 1;
        using var tail = await Json($"/board/api/jobs/{BigJob}/audit?limit=500&after={lastId - 10}");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => lastId - 9 + i), tail.RootElement.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal(JsonValueKind.Null, tail.RootElement.GetProperty("next_after").ValueKind);

        string html = await Http.GetStringAsync($"/board/jobs/{BigJob}/audit?after={after}");
        Assert.Contains("id=\"audit-next\"", html);
        Assert.Contains($"<td>{after + 1}</td>", html);
        Assert.DoesNotContain($"<td>{after}</td><td>", html);
    }

    [Theory]
    [InlineData("/board/api/status", "version")]
    [InlineData("/board/api/jobs", "jobs")]
    [InlineData("/board/api/jobs/" + BigJob, "job")]
    [InlineData("/board/api/jobs/" + BigJob + "/status", "terminal")]
    [InlineData("/board/api/jobs/" + BigJob + "/audit", "entries")]
    public async Task Api_AnswersJson(string path, string property)
    {
        using var json = await Json(path);

        Assert.True(json.RootElement.TryGetProperty(property, out _));
    }

    [Fact]
    public async Task Api_EpochsAndParticipants()
    {
        using var epochs = await Json($"/board/api/jobs/{BigJob}/epochs");
        using var participants = await Json("/board/api/participants");

        var rows = epochs.RootElement.EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, Epochs), rows.Select(r => r.GetProperty("epoch").GetInt32()));
        Assert.Equal(Loss(999), rows[^1].GetProperty("loss").GetDouble(), 9);
        Assert.Equal("telecom", participants.RootElement[0].GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("/board/api/jobs?state=bogus", "state: unknown 'bogus'")]
    [InlineData("/board/api/jobs?kind=bogus", "kind: unknown 'bogus'")]
    [InlineData("/board/api/jobs?limit=0", "limit: '0'")]
    [InlineData("/board/api/jobs?after=nope", "after: 'nope'")]
    [InlineData("/board/api/jobs/" + BigJob + "/audit?after=-1", "after: '-1'")]
    [InlineData("/board?state=bogus", "state: unknown 'bogus'")]
    public async Task BadParameter_Is400NamingIt(string path, string message)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(Regex.Unescape(await response.Content.ReadAsStringAsync())));
    }

    [Theory]
    [InlineData("/board/jobs/no-such-job")]
    [InlineData("/board/jobs/no-such-job/audit")]
    [InlineData("/board/api/jobs/no-such-job")]
    [InlineData("/board/api/jobs/no-such-job/status")]
    public async Task UnknownJob_Is404(string path)
    {
        using var response = await Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task StaticAssets_AreServedFromHere()
    {
        using var script = await Http.GetAsync("/board/static/board.js");
        using var style = await Http.GetAsync("/board/static/board.css");
        using var missing = await Http.GetAsync("/board/static/nope.js");

        Assert.Equal("text/javascript", script.Content.Headers.ContentType!.MediaType);
        Assert.Contains("setTimeout(poll", await script.Content.ReadAsStringAsync());
        Assert.Equal("text/css", style.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Token_IsRequiredWhenConfigured()
    {
        const string token = "0123456789abcdef-test-token";
        await using var server = await BoardServer.StartAsync(fixture.Store,
            new BoardOptions { Endpoint = new IPEndPoint(IPAddress.Loopback, 0), Token = token });
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(1) };

        using var none = await http.GetAsync("/board/api/status");
        using var wrong = await Send(http, "wrong-token-0123456789");
        using var right = await Send(http, token);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task NonLoopbackWithoutToken_DoesNotStart()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => BoardServer.StartAsync(fixture.Store,
            new BoardOptions { Endpoint = new IPEndPoint(IPAddress.Any, 0) }));

        Assert.Contains("not a loopback address", e.Message);
    }

    /// <summary>Prints how long each page of the big job takes (median of 5, after one warm-up); asserts only that they answer.</summary>
    [Fact]
    public async Task Pages_BigJob_Timings()
    {
        foreach (var path in new[] { "/board", $"/board/jobs/{BigJob}", $"/board/jobs/{BigJob}/audit", $"/board/jobs/{BigJob}/audit?after=99000",
                     $"/board/api/jobs/{BigJob}", $"/board/api/jobs/{BigJob}/audit?limit=500", "/board/participants" })
        {
            var times = new List<double>();
            for (int i = 0; i < 6; i++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await Http.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                if (i > 0) times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            output.WriteLine($"{GetType().Name}: {path}: median {times[2]:0} ms (min {times[0]:0}, max {times[^1]:0})");
        }
    }

    private static Task<HttpResponseMessage> Send(HttpClient http, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/board/api/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request);
    }

    private async Task<JsonDocument> Json(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static List<string> Ids(JsonDocument page) =>
        [.. page.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()!)];
}

public sealed class SqliteBoardHttpTests(SqliteBoardFixture fixture, ITestOutputHelper output)
    : BoardHttpTests(fixture, output), IClassFixture<SqliteBoardFixture>;

[Trait("Category", "MySql")]
public sealed class MariaDbBoardHttpTests(MariaDbBoardFixture fixture, ITestOutputHelper output)
    : BoardHttpTests(fixture, output), IClassFixture<MariaDbBoardFixture>;
