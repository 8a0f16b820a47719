using VerticalFL.Board.Data;
using VerticalFL.Storage;

namespace VerticalFL.Board.Rendering;

/// <summary><c>/board</c>: every job, newest first, filtered by state and kind, paged.</summary>
internal static class JobsHtml
{
    public static readonly string[] Kinds = ["train", "predict", "psi", "horizontal"];

    public static string Render(JobListView view, string? partyId, string liveVersion)
    {
        var main = new Html();
        main.Raw("<h1>Jobs</h1>");
        Filter(main, view.Query);
        if (view.Jobs.Count == 0)
        {
            main.Raw("<p class=\"empty\">No jobs match.</p>");
        }
        else
        {
            main.Raw("<table id=\"jobs\"><thead>")
                .HeaderRow("job", "name", "kind", "state", "epoch", "progress", "parties", "started", "duration")
                .Raw("</thead><tbody>");
            foreach (var job in view.Jobs)
                JobRow(main, job, view.NowUtc);
            main.Raw("</tbody></table>");
        }
        if (view.Next is not null)
            main.Raw("<p class=\"pager\">").Link(Links.Jobs(view.Query, view.Next), "older jobs →", "jobs-next").Raw("</p>");
        return Layout.Page("Jobs", partyId, main, "/board/api/status", liveVersion);
    }

    private static void JobRow(Html main, JobSummary job, DateTime now)
    {
        main.Raw("<tr><td>").Link(Links.Job(job.Id), job.Id).Raw("</td><td>").Text(job.Name).Raw("</td><td>").Text(job.Kind)
            .Raw("</td><td>").Element("span", job.State.Name(), "state state-" + job.State.Name())
            .Raw("</td><td>").Text(job.Epochs is { } n ? $"{job.Epoch} / {n}" : job.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Raw("</td><td>").Text(Format.Percent(job.Progress))
            .Raw("</td><td>").Text(string.Join(", ", job.Participants.Select(p => $"{p.PartyId} ({p.Role.ToString().ToLowerInvariant()})")))
            .Raw("</td><td>").Text(Format.Time(job.CreatedUtc)).Raw("</td><td>").Text(Format.Duration(job.Duration(now))).Raw("</td></tr>");
    }

    private static void Filter(Html main, JobListQuery query)
    {
        main.Raw("<form class=\"filter\" method=\"get\" action=\"/board\"><label>state <select name=\"state\"><option value=\"\">any</option>");
        foreach (var state in Enum.GetValues<JobState>())
            Option(main, state.Name(), query.State == state);
        main.Raw("</select></label> <label>kind <select name=\"kind\"><option value=\"\">any</option>");
        foreach (var kind in Kinds)
            Option(main, kind, query.Kind == kind);
        main.Raw("</select></label> <button type=\"submit\">filter</button></form>");
    }

    private static void Option(Html main, string value, bool selected) =>
        main.Raw("<option value=\"").Text(value).Raw(selected ? "\" selected>" : "\">").Text(value).Raw("</option>");
}
