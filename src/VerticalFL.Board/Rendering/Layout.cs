namespace VerticalFL.Board.Rendering;

/// <summary>
/// The page around every board view: no inline script or style (the CSP forbids both), one stylesheet and one
/// script from this server, and a data-URI favicon so the browser asks nothing else. <c>data-live</c> names the
/// JSON the script polls; when its <c>version</c> changes the script reloads <c>main</c>.
/// </summary>
internal static class Layout
{
    public static string Page(string title, string? partyId, Html main, string? liveUrl = null, string? liveVersion = null)
    {
        var page = new Html();
        page.Raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<title>").Text(title).Raw(" · VerticalFL board</title>")
            .Raw("<link rel=\"icon\" href=\"data:,\">")
            .Raw("<link rel=\"stylesheet\" href=\"/board/static/board.css\">")
            .Raw("<script src=\"/board/static/board.js\" defer></script></head><body");
        if (liveUrl is not null)
            page.Raw(" data-live=\"").Text(liveUrl).Raw("\" data-live-version=\"").Text(liveVersion).Raw("\"");
        page.Raw("><header><nav><a href=\"/board\">Jobs</a> <a href=\"/board/participants\">Participants</a></nav>")
            .Raw("<span class=\"party\">").Text(partyId is null ? "read-only store" : $"party {partyId}").Raw("</span></header>")
            .Raw("<main id=\"main\">").Raw(main.ToString()).Raw("</main></body></html>");
        return page.ToString();
    }
}
