using VerticalFL.Cli.Local;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// One federation shared by the operating drills that leave every party running (issue 14): starting three
/// processes is the slow part on this machine, so these tests share them and each submits its own small job.
/// </summary>
public sealed class OperatingFixture : IAsyncLifetime
{
    private RunningFederation? _federation;

    internal RunningFederation Federation => _federation ?? throw new InvalidOperationException("not started");

    /// <summary>One short training job that succeeded, run once for the tests that inspect a finished job.</summary>
    internal string SucceededJob { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _federation = await RunningFederation.StartAsync(rows: 150);
        SucceededJob = await _federation.SubmitAsync(RunningFederation.JobYaml("  epochs: 1\n  batch_size: -1\n  key_bits: 2048"));
        var report = await _federation.WaitAsync(SucceededJob);
        if (report.Summary.State != "succeeded")
            throw new InvalidOperationException($"the fixture's job ended {report.Summary.State}: {report.Summary.Reason}\n{_federation.Log("bank")}");
    }

    public Task DisposeAsync()
    {
        _federation?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Runs <c>vfl ARGS</c> as its own process, as an operator would; returns the exit code and both streams.</summary>
    internal static async Task<(int Code, string Output, string Error)> CliAsync(params string[] arguments)
    {
        return await Vfl.RunAsync(arguments, TimeSpan.FromMinutes(1));
    }
}
