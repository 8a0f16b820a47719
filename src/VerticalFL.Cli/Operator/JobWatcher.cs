using Grpc.Core;
using Spectre.Console;
using VerticalFL.Contracts.V1;

namespace VerticalFL.Cli.Operator;

/// <summary>Follows a job through the Operator API until it ends, with a progress bar on an interactive terminal.</summary>
internal static class JobWatcher
{
    /// <summary>Waits for the job to end; returns its final state ("succeeded", "failed", "cancelled").</summary>
    /// <param name="psiOnly">A PSI-only job: show just the PSI bar.</param>
    public static async Task<JobProgress> FollowAsync(OperatorConnection connection, string jobId, bool quiet, CancellationToken ct, bool psiOnly = false)
    {
        if (quiet)
            return await LastAsync(connection, jobId, _ => { }, ct);
        if (Console.IsOutputRedirected)
        {
            // cron, nohup, a pipe: no bar, but a plain line whenever the phase or the epoch changes.
            string? previous = null;
            return await LastAsync(connection, jobId, p =>
            {
                string line = PlainLine(p);
                if (line != previous) Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");
                previous = line;
            }, ct);
        }
        JobProgress? last = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var psi = context.AddTask("PSI", maxValue: 1);
                var training = psiOnly ? null : context.AddTask("training", maxValue: 1);
                var evaluation = psiOnly ? null : context.AddTask("evaluation", maxValue: 1);
                last = await LastAsync(connection, jobId, p => Show(p, psi, training, evaluation), ct);
            });
        return last!;
    }

    private static async Task<JobProgress> LastAsync(OperatorConnection connection, string jobId, Action<JobProgress> show, CancellationToken ct)
    {
        JobProgress? last = null;
        using var call = connection.Operator.Watch(new JobRef { JobId = jobId }, deadline: DateTime.UtcNow.AddHours(12), cancellationToken: ct);
        try
        {
            await foreach (var progress in call.ResponseStream.ReadAllAsync(ct))
            {
                // A job waiting for a host operator's approval says so (stderr: stdout may be --json).
                if (progress.State == "pending" && progress.Message.Length > 0 && progress.Message != last?.Message)
                    Console.Error.WriteLine($"job {jobId}: {progress.Message}");
                last = progress;
                show(progress);
            }
        }
        catch (RpcException e)
        {
            throw OperatorConnection.Translate(e);
        }
        return last ?? throw new JobFailedException($"job {jobId}: the guest sent no progress.");
    }

    /// <summary>"job J: training epoch 3/10, loss 0.6012": one line of progress for a log file.</summary>
    internal static string PlainLine(JobProgress p)
    {
        string detail = p.Phase switch
        {
            "psi" => $"psi {p.Progress:P0}",
            "training" => $"training {Unit(p)} {p.Epoch}/{p.Epochs}{(double.IsNaN(p.Loss) ? "" : $", loss {p.Loss:0.0000}")}",
            _ => p.Phase,
        };
        return $"job {p.JobId}: {detail}";
    }

    private static void Show(JobProgress p, ProgressTask psi, ProgressTask? training, ProgressTask? evaluation)
    {
        bool done = p.State == "succeeded";
        if (p.Phase == "psi") psi.Value = p.Progress;
        if (p.Phase is "training" or "evaluating" || done) psi.Value = 1;
        if (training is null || evaluation is null) return;
        if (p.Epochs > 0) training.Value = Math.Min(1, (double)p.Epoch / p.Epochs);
        if (p.Phase == "evaluating" || done) training.Value = 1;
        if (done) evaluation.Value = 1;
        if (!double.IsNaN(p.Loss) && p.Phase == "training")
            training.Description = $"training ({Unit(p)} {p.Epoch}/{p.Epochs}, loss {p.Loss:0.0000})";
    }

    /// <summary>"epoch", or "round" for a horizontal job.</summary>
    private static string Unit(JobProgress p) => p.Unit.Length > 0 ? p.Unit : "epoch";
}
