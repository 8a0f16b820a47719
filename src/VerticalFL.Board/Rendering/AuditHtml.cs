using System.Globalization;
using VerticalFL.Board.Data;
using VerticalFL.Storage;

namespace VerticalFL.Board.Rendering;

/// <summary><c>/board/jobs/{id}/audit</c>: the job's audit trail (what crossed, never a payload), paged by id.</summary>
internal static class AuditHtml
{
    public static string Render(AuditView view, string? partyId)
    {
        var main = new Html();
        main.Raw("<p class=\"crumbs\">").Link("/board", "jobs").Raw(" / ").Link(Links.Job(view.Job.Id), view.Job.Id).Raw(" / audit</p>")
            .Raw("<h1>Audit trail of ").Text(view.Job.Id).Raw("</h1>");
        if (view.Entries.Count == 0)
        {
            main.Raw("<p class=\"empty\">No messages recorded").Text(view.After > 0 ? " after this point." : ".").Raw("</p>");
        }
        else
        {
            main.Raw("<table id=\"audit\"><thead>").HeaderRow("id", "time", "direction", "peer", "message type", "size").Raw("</thead><tbody>");
            foreach (var record in view.Entries)
            {
                var e = record.Entry;
                main.Row(record.Id.ToString(CultureInfo.InvariantCulture), Format.Time(e.AtUtc),
                    e.Direction == AuditDirection.Sent ? "sent to" : "received from", e.Peer, e.MessageType, Format.Bytes(e.SizeBytes));
            }
            main.Raw("</tbody></table>");
        }
        main.Raw("<p class=\"pager\">");
        if (view.After > 0) main.Link(Links.Audit(view.Job.Id), "← first page", "audit-first").Raw(" ");
        if (view.NextAfter is { } next) main.Link(Links.Audit(view.Job.Id, next), "next page →", "audit-next");
        main.Raw("</p>");
        return Layout.Page($"Audit of {view.Job.Id}", partyId, main);
    }
}
