using Microsoft.Playwright;
using Xunit.Abstractions;

namespace VerticalFL.BrowserTests;

/// <summary>
/// The board of a real three-process <c>vfl run</c> in headless Chromium: the list shows the job, the job page
/// updates itself until <c>succeeded</c>, its curves are SVG, the audit page is one click away, the browser logs no
/// error, and screenshots go to <c>screenshots/</c> in the test output.
/// </summary>
public sealed class BoardBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Epochs = 6;
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(5);
    private readonly string _directory = Directory.CreateTempSubdirectory("vfl-browser-").FullName;
    private readonly List<string> _browserErrors = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (Chromium.Path is null)
            return;   // the test itself fails (CI=true) or was skipped
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            // As root Chromium needs --no-sandbox; Debian's wrapper does not pass --disable-dev-shm-usage (small /dev/shm in containers).
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [BrowserFact]
    public async Task Board_OfARealRun_GoesLiveToSucceededWithCurvesAndAudit()
    {
        Assert.True(Chromium.Path is not null, Chromium.Missing);
        await using var run = await VflRun.StartAsync(_directory, Epochs);
        var board = await run.BoardAsync(TimeSpan.FromMinutes(3));
        var page = await NewPageAsync();
        page.SetDefaultTimeout((float)JobTimeout.TotalMilliseconds);
        Directory.CreateDirectory(Screenshots);

        // The list: the job appears by itself (the page polls) once the guest has stored it.
        await page.GotoAsync(board.ToString());
        var jobLink = page.Locator("#jobs tbody a").First;
        await jobLink.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "jobs.png"), FullPage = true });
        await jobLink.ClickAsync();

        // The job page: live until succeeded.
        await page.WaitForURLAsync("**/board/jobs/*");
        string first = await page.Locator("#job-state").InnerTextAsync();
        output.WriteLine($"job page opened in state '{first}'");
        await Assertions.Expect(page.Locator("#job-state")).ToHaveTextAsync("succeeded", new() { Timeout = (float)JobTimeout.TotalMilliseconds });

        var loss = page.Locator("#chart-loss polyline[data-series='loss']");
        Assert.Equal(Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), await loss.GetAttributeAsync("data-points"));
        Assert.Equal(Epochs, (await loss.GetAttributeAsync("points"))!.Split(' ').Length);
        Assert.Equal(1, await page.Locator("#chart-roc polyline[data-series='tpr']").CountAsync());
        Assert.Equal(3, await page.Locator("#chart-ks polyline[data-series]").CountAsync());
        await Assertions.Expect(page.Locator("#state-strip li")).ToHaveCountAsync(5);   // pending, psi, training, evaluating, succeeded
        await Assertions.Expect(page.Locator("#job-intersection")).ToContainTextAsync("rows");
        await Assertions.Expect(page.Locator("#encryption")).ToContainTextAsync("CKKS");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "job.png"), FullPage = true });

        // One click to the audit trail.
        await page.Locator("#audit-link").ClickAsync();
        await page.WaitForURLAsync("**/audit");
        Assert.True(await page.Locator("#audit tbody tr").CountAsync() > 0, "the audit page lists messages");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "audit.png"), FullPage = true });

        Assert.True(_browserErrors.Count == 0, "browser errors:\n" + string.Join('\n', _browserErrors));
        output.WriteLine($"screenshots in {Screenshots}");
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        // Console errors include CSP violations and failed requests; page errors are uncaught script exceptions.
        page.Console += (_, message) => { if (message.Type == "error") _browserErrors.Add($"console: {message.Text}"); };
        page.PageError += (_, error) => _browserErrors.Add($"page error: {error}");
        // A poll cut short by a navigation is aborted by the browser itself (net::ERR_ABORTED): not an error of the board.
        page.RequestFailed += (_, request) =>
        {
            if (request.Failure?.Contains("ERR_ABORTED", StringComparison.Ordinal) != true)
                _browserErrors.Add($"request failed: {request.Url} {request.Failure}");
        };
        return page;
    }
}
