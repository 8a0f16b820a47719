using System.Globalization;
using VerticalFL.Board.Data;
using VerticalFL.Storage;

namespace VerticalFL.Board.Rendering;

/// <summary><c>/board/jobs/{id}</c>: one job as this party knows it.</summary>
internal static class JobHtml
{
    public static string Render(JobView view, string? partyId, string liveVersion)
    {
        var job = view.Summary;
        var main = new Html();
        main.Raw("<p class=\"crumbs\">").Link("/board", "jobs").Raw(" / ").Text(job.Id).Raw("</p>")
            .Raw("<h1>").Text(job.Name.Length > 0 ? job.Name : job.Id).Raw(" <small>").Text(job.Id).Raw("</small></h1>");
        Facts(main, view);
        if (view.Failure is { } failure) Failure(main, failure);
        Strip(main, view);
        Charts(main, view);
        EpochTable(main, view);
        Models(main, view);
        Encryption(main, view);
        Traffic(main, view);
        main.Raw("<h2>Job spec</h2><pre id=\"spec\">").Text(view.Spec).Raw("</pre>");
        return Layout.Page($"Job {job.Id}", partyId, main, $"/board/api/jobs/{Uri.EscapeDataString(job.Id)}/status", liveVersion);
    }

    private static void Facts(Html main, JobView view)
    {
        var job = view.Summary;
        main.Raw("<dl class=\"facts\">")
            .Raw("<dt>state</dt><dd>").Raw("<span id=\"job-state\" class=\"state state-").Text(job.State.Name()).Raw("\">").Text(job.State.Name()).Raw("</span></dd>")
            .Raw("<dt>kind</dt><dd>").Text(job.Kind).Raw("</dd>")
            .Raw("<dt>this party</dt><dd>").Text($"{view.ThisParty ?? "?"} ({job.Role.ToString().ToLowerInvariant()})").Raw("</dd>")
            .Raw("<dt>guest</dt><dd>").Text(view.Initiator).Raw("</dd>")
            .Raw("<dt>parties</dt><dd>").Text(string.Join(", ", job.Participants.Select(p => $"{p.PartyId} ({p.Role.ToString().ToLowerInvariant()})"))).Raw("</dd>")
            .Raw("<dt>started</dt><dd>").Text(Format.Time(job.CreatedUtc)).Raw("</dd>")
            .Raw("<dt>duration</dt><dd>").Text(Format.Duration(job.Duration(view.NowUtc))).Raw("</dd>")
            .Raw("<dt>epoch</dt><dd id=\"job-epoch\">").Text(job.Epochs is { } n ? $"{job.Epoch} / {n}" : job.Epoch.ToString(CultureInfo.InvariantCulture))
            .Raw(" (").Text(Format.Percent(job.Progress)).Raw(" of the phase)</dd>")
            .Raw("<dt>intersection</dt><dd id=\"job-intersection\">").Text(view.Intersection is { } rows ? $"{Format.Count(rows)} rows" : "–").Raw("</dd>");
        if (job.Reason is { } reason && view.Failure is null)
            main.Raw("<dt>note</dt><dd>").Text(reason).Raw("</dd>");
        main.Raw("</dl>");
    }

    private static void Failure(Html main, FailureView failure) =>
        main.Raw("<div class=\"failure\" id=\"job-failure\"><strong>").Text(failure.Party is null ? "unknown party" : failure.Party)
            .Raw("</strong> <span class=\"how\">(").Text(failure.How).Raw(")</span><p>").Text(failure.Reason).Raw("</p></div>");

    private static void Strip(Html main, JobView view)
    {
        main.Raw("<h2>States</h2><ol class=\"strip\" id=\"state-strip\">");
        foreach (var span in view.Timeline)
        {
            main.Raw("<li class=\"state-").Text(span.State.Name()).Raw(span.Current ? " current" : "").Raw("\"><span class=\"name\">").Text(span.State.Name())
                .Raw("</span><span class=\"spent\">").Text(span.State.IsTerminal() ? Format.Time(span.EnteredUtc) : Format.Duration(span.Spent))
                .Raw("</span></li>");
        }
        main.Raw("</ol>");
    }

    private static void Charts(Html main, JobView view)
    {
        var epochs = view.Epochs;
        main.Raw("<h2>Curves</h2><div class=\"charts\">");
        main.Raw(new SvgLineChart { Id = "chart-loss", Title = "Training loss per epoch", XLabel = "epoch" }
            .Render([Series("loss", epochs, e => e.Loss)]));
        main.Raw(new SvgLineChart { Id = "chart-validation", Title = "Validation metrics per epoch", XLabel = "epoch", YMin = 0, YMax = 1 }
            .Render([Series("auc", epochs, e => e.Auc), Series("ks", epochs, e => e.Ks), Series("accuracy", epochs, e => e.Accuracy)]));
        if (view.Roc is { } roc)
        {
            main.Raw(new SvgLineChart
            {
                Id = "chart-roc", Title = $"ROC of the final model (AUC {Format.Metric(roc.Auc)})", XLabel = "false positive rate",
                XMin = 0, XMax = 1, YMin = 0, YMax = 1, Reference = [(0, 0), (1, 1)],
            }.Render([new ChartSeries("tpr", [.. roc.Points.Select(p => (p.Fpr, p.Tpr))])]));
            main.Raw(new SvgLineChart
            {
                Id = "chart-ks", Title = $"KS of the final model (KS {Format.Metric(roc.Ks)})", XLabel = "share of rows, highest scores first",
                XMin = 0, XMax = 1, YMin = 0, YMax = 1,
            }.Render([
                new ChartSeries("tpr", [.. roc.Points.Select(p => (p.Share, p.Tpr))]),
                new ChartSeries("fpr", [.. roc.Points.Select(p => (p.Share, p.Fpr))]),
                new ChartSeries("tpr − fpr", [.. roc.Points.Select(p => (p.Share, p.Tpr - p.Fpr))]),
            ]));
        }
        main.Raw("</div>");
    }

    /// <summary>One point per epoch that recorded the value.</summary>
    internal static ChartSeries Series(string name, IReadOnlyList<EpochRow> epochs, Func<EpochRow, double?> value) =>
        new(name, [.. epochs.Where(e => value(e) is not null).Select(e => ((double)e.Number, value(e)!.Value))]);

    private static void EpochTable(Html main, JobView view)
    {
        main.Raw("<h2>Epochs</h2>");
        if (view.FinalEvaluation is { } f)
            main.Raw("<p id=\"final-metrics\">Final model on the evaluation rows: AUC ").Text(Format.Metric(f.Auc)).Raw(", KS ").Text(Format.Metric(f.Ks))
                .Raw(", accuracy ").Text(Format.Metric(f.Accuracy)).Raw(".</p>");
        if (view.Epochs.Count == 0)
        {
            main.Raw("<p class=\"empty\">No epochs recorded.</p>");
            return;
        }
        main.Raw("<table id=\"epochs\"><thead>").HeaderRow("epoch", "loss", "auc", "ks", "accuracy", "seconds", "bytes sent").Raw("</thead><tbody>");
        foreach (var e in view.Epochs)
            main.Row(e.Number.ToString(CultureInfo.InvariantCulture), Format.Metric(e.Loss), Format.Metric(e.Auc), Format.Metric(e.Ks), Format.Metric(e.Accuracy),
                e.Seconds.ToString("0.00", CultureInfo.InvariantCulture), Format.Bytes(e.BytesSent));
        main.Raw("</tbody></table>");
    }

    private static void Models(Html main, JobView view)
    {
        main.Raw("<h2>Model parts held here</h2>");
        if (view.Models.Count == 0)
        {
            main.Raw("<p class=\"empty\">No model part stored (a party stores its own part only after training and evaluation finished).</p>");
            return;
        }
        foreach (var model in view.Models)
        {
            main.Raw("<h3>").Text($"{model.PartyId} ({model.Role.ToString().ToLowerInvariant()}), version {model.Version}, {model.Format}").Raw("</h3>")
                .Raw("<table class=\"model\"><thead>").HeaderRow("feature", "weight").Raw("</thead><tbody>");
            foreach (var (feature, weight) in model.Weights)
                main.Row(feature, weight.ToString("0.000000", CultureInfo.InvariantCulture));
            if (model.Intercept is { } b)
                main.Row("(intercept)", b.ToString("0.000000", CultureInfo.InvariantCulture));
            main.Raw("</tbody></table>");
        }
    }

    private static void Encryption(Html main, JobView view)
    {
        main.Raw("<h2>Encryption</h2><dl class=\"facts\" id=\"encryption\">");
        foreach (var (key, value) in view.Encryption)
            main.Raw("<dt>").Text(key).Raw("</dt><dd>").Text(value).Raw("</dd>");
        main.Raw("</dl>");
    }

    private static void Traffic(Html main, JobView view)
    {
        main.Raw("<h2>Traffic per peer</h2>");
        if (view.Traffic.Count == 0)
            main.Raw("<p class=\"empty\">No messages audited.</p>");
        else
        {
            main.Raw("<table id=\"traffic\"><thead>").HeaderRow("peer", "direction", "messages", "bytes").Raw("</thead><tbody>");
            foreach (var t in view.Traffic)
                main.Row(t.Peer, t.Direction == AuditDirection.Sent ? "sent" : "received", Format.Count(t.Messages), Format.Bytes(t.Bytes));
            main.Raw("</tbody></table>");
        }
        main.Raw("<p>").Link(Links.Audit(view.Summary.Id), "the audit trail →", "audit-link").Raw("</p>");
    }
}
