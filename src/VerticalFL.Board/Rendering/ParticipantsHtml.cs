using VerticalFL.Storage;

namespace VerticalFL.Board.Rendering;

/// <summary><c>/board/participants</c>: the parties this one knows, their certificates and when they were last heard from.</summary>
internal static class ParticipantsHtml
{
    public static string Render(IReadOnlyList<Participant> participants, string? partyId)
    {
        var main = new Html();
        main.Raw("<h1>Participants</h1>");
        if (participants.Count == 0)
        {
            main.Raw("<p class=\"empty\">This store knows no other parties yet.</p>");
        }
        else
        {
            main.Raw("<table id=\"participants\"><thead>").HeaderRow("party", "role", "address", "certificate SHA-256", "last seen").Raw("</thead><tbody>");
            foreach (var p in participants)
                main.Row(p.PartyId, p.Role.ToString().ToLowerInvariant(), p.Address, p.CertificateFingerprint, Format.Time(p.LastSeenUtc));
            main.Raw("</tbody></table>");
        }
        return Layout.Page("Participants", partyId, main);
    }
}
