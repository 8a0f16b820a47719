using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VerticalFL.Board.Data;
using VerticalFL.Board.Rendering;
using VerticalFL.Storage;

namespace VerticalFL.Board.Http;

/// <summary>
/// The board's routes: HTML pages under <c>/board</c>, JSON under <c>/board/api</c>, the script and stylesheet under
/// <c>/board/static</c>. Only GET; nothing writes to the store.
/// </summary>
internal static class BoardRoutes
{
    private const int DefaultPage = 50, MaxPage = 500, AuditPageSize = 200;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static void MapBoard(this WebApplication app, BoardQueries queries, string? token)
    {
        app.Use(next => BoardSecurity.Guard(next, token));
        app.MapGet("/", () => Results.Redirect("/board"));
        var board = app.MapGroup("/board");
        board.MapGet("", (HttpRequest r, CancellationToken ct) => Guarded(async () =>
        {
            var view = await queries.JobsAsync(ListQuery(r), ct);
            return HtmlResult(JobsHtml.Render(view, queries.PartyId, await ListVersionAsync(queries, ct)));
        }, html: true));
        board.MapGet("/jobs/{id}", (string id, CancellationToken ct) => Guarded(async () =>
            await queries.JobAsync(CheckId(id), ct) is { } view
                ? HtmlResult(JobHtml.Render(view, queries.PartyId, BoardJson.Version(view.Summary)))
                : NotFound(id, queries.PartyId, html: true), html: true));
        board.MapGet("/jobs/{id}/audit", (string id, HttpRequest r, CancellationToken ct) => Guarded(async () =>
            await queries.AuditAsync(CheckId(id), After(r), Limit(r, AuditPageSize), ct) is { } view
                ? HtmlResult(AuditHtml.Render(view, queries.PartyId))
                : NotFound(id, queries.PartyId, html: true), html: true));
        board.MapGet("/participants", (CancellationToken ct) => Guarded(async () =>
            HtmlResult(ParticipantsHtml.Render(await queries.ParticipantsAsync(ct), queries.PartyId)), html: true));
        board.MapGet("/static/{name}", (string name) =>
            StaticAssets.Find(name) is { } file ? Results.Bytes(file.Content, file.Type) : Results.NotFound());

        var api = board.MapGroup("/api");
        api.MapGet("/status", (CancellationToken ct) => Guarded(async () =>
            Results.Json(new { version = await ListVersionAsync(queries, ct) }, Json)));
        api.MapGet("/jobs", (HttpRequest r, CancellationToken ct) => Guarded(async () =>
            Results.Json(BoardJson.Jobs(await queries.JobsAsync(ListQuery(r), ct)), Json)));
        api.MapGet("/jobs/{id}", (string id, CancellationToken ct) => Guarded(async () =>
            await queries.JobAsync(CheckId(id), ct) is { } view ? Results.Json(BoardJson.Job(view), Json) : NotFound(id)));
        api.MapGet("/jobs/{id}/status", (string id, CancellationToken ct) => Guarded(async () =>
            await queries.SummaryAsync(CheckId(id), ct) is { } job ? Results.Json(BoardJson.Status(job), Json) : NotFound(id)));
        api.MapGet("/jobs/{id}/epochs", (string id, CancellationToken ct) => Guarded(async () =>
            await queries.JobAsync(CheckId(id), ct) is { } view ? Results.Json(BoardJson.Epochs(view.Epochs), Json) : NotFound(id)));
        api.MapGet("/jobs/{id}/audit", (string id, HttpRequest r, CancellationToken ct) => Guarded(async () =>
            await queries.AuditAsync(CheckId(id), After(r), Limit(r, AuditPageSize), ct) is { } view
                ? Results.Json(BoardJson.Audit(view), Json)
                : NotFound(id)));
        api.MapGet("/participants", (CancellationToken ct) => Guarded(async () =>
            Results.Json(BoardJson.Participants(await queries.ParticipantsAsync(ct)), Json)));
    }

    /// <summary>Bad query parameters answer 400 naming the parameter (HTML pages as text, the API as <c>{"error": …}</c>).</summary>
    private static async Task<IResult> Guarded(Func<Task<IResult>> handler, bool html = false)
    {
        try
        {
            return await handler();
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return html
                ? Results.Text(e.Message + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest)
                : Results.Json(new { error = e.Message }, Json, statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static IResult HtmlResult(string page) => Results.Content(page, "text/html; charset=utf-8");

    private static IResult NotFound(string id, string? partyId = null, bool html = false)
    {
        string message = $"no job '{id}' in this store";
        return html
            ? Results.Content(Layout.Page("Not found", partyId, new Html().Raw("<h1>Not found</h1><p>").Text(message).Raw("</p>")),
                "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound)
            : Results.Json(new { error = message }, Json, statusCode: StatusCodes.Status404NotFound);
    }

    private static string CheckId(string id) =>
        id.Length is > 0 and <= 64 ? id : throw new FormatException($"job id: '{id[..Math.Min(id.Length, 70)]}' is not a job id (1 to 64 characters).");

    internal static JobListQuery ListQuery(HttpRequest request) => new(
        State(request.Query["state"].ToString()),
        Kind(request.Query["kind"].ToString()),
        Links.ParseCursor(request.Query["after"].ToString()),
        Limit(request, DefaultPage));

    private static JobState? State(string text)
    {
        if (text.Length == 0) return null;
        var match = Enum.GetValues<JobState>().Where(s => s.Name() == text).ToList();
        return match.Count == 1 ? match[0]
            : throw new FormatException($"state: unknown '{text}'; valid states are {string.Join(", ", Enum.GetValues<JobState>().Select(s => s.Name()))}.");
    }

    private static string? Kind(string text) =>
        text.Length == 0 ? null
        : JobsHtml.Kinds.Contains(text) ? text
        : throw new FormatException($"kind: unknown '{text}'; valid kinds are {string.Join(", ", JobsHtml.Kinds)}.");

    private static int Limit(HttpRequest request, int fallback)
    {
        string text = request.Query["limit"].ToString();
        if (text.Length == 0) return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxPage
            ? n
            : throw new FormatException($"limit: '{text}' is not a whole number from 1 to {MaxPage}.");
    }

    private static long After(HttpRequest request)
    {
        string text = request.Query["after"].ToString();
        if (text.Length == 0) return 0;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"after: '{text}' is not an audit entry id (a whole number ≥ 0).");
    }

    /// <summary>Changes whenever the newest jobs change: the list page reloads itself on a change.</summary>
    private static async Task<string> ListVersionAsync(BoardQueries queries, CancellationToken ct)
    {
        var page = await queries.JobsAsync(new JobListQuery(Limit: DefaultPage), ct);
        long newest = page.Jobs.Count == 0 ? 0 : page.Jobs.Max(j => j.UpdatedUtc.Ticks);
        return $"{page.Jobs.Count}:{newest}";
    }
}
