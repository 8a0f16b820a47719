using Grpc.Core;
using VerticalFL.Cli.Data;
using VerticalFL.Cli.Local;
using VerticalFL.Cli.Operator;
using VerticalFL.Contracts.V1;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// A real federation for one test: synthetic data, dev certificates, guest + host + arbiter as three
/// OS processes (`vfl party`) on loopback with mTLS. Disposing stops the processes and deletes the files.
/// </summary>
internal sealed class RunningFederation : IDisposable
{
    public static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(4);

    private RunningFederation(string directory, SyntheticFiles files, LocalFederation federation)
    {
        Directory = directory;
        Files = files;
        Federation = federation;
        Operator = OperatorConnection.Open(federation.GuestConfig, TimeSpan.FromMinutes(2));
    }

    public string Directory { get; }
    public SyntheticFiles Files { get; }
    public LocalFederation Federation { get; }
    public OperatorConnection Operator { get; }

    /// <param name="beforeStart">Edits the written configs (e.g. a host's <c>policy:</c>) before any party starts.</param>
    public static async Task<RunningFederation> StartAsync(int rows = 400, double overlap = 0.75, string? guestStore = null, int hosts = 1,
        Action<LocalFederation>? beforeStart = null, int hostFeatures = 8)
    {
        string directory = Path.Combine(Path.GetTempPath(), "vfl-it-" + Guid.NewGuid().ToString("N")[..8]);
        var files = new SyntheticFederation { Rows = rows, Overlap = overlap, Seed = 11, Hosts = hosts, HostFeatures = hostFeatures }
            .WriteTo(Path.Combine(directory, "data"));
        // Test data of a few hundred rows is below the hosts' batch floor: these hosts opt out explicitly.
        var federation = LocalFederation.Prepare(directory, files.GuestPath, files.HostPaths, guestStore, allowSmallBatches: true);
        beforeStart?.Invoke(federation);
        // Generous: on a loaded 2-core machine a cold party process can take a minute to answer.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await federation.StartAsync(TimeSpan.FromSeconds(150), timeout.Token);
        return new RunningFederation(directory, files, federation);
    }

    /// <summary>
    /// A horizontal federation: the guest and <paramref name="hosts"/> hosts each hold their own rows of the same columns
    /// (a Dirichlet split by label), the arbiter aggregates. <see cref="Files"/> holds the parties' files, <see cref="TestPath"/> held-out rows.
    /// </summary>
    public static async Task<RunningFederation> StartHorizontalAsync(int rows = 900, int hosts = 2, Action<SyntheticFiles>? editData = null,
        Action<LocalFederation>? beforeStart = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "vfl-it-" + Guid.NewGuid().ToString("N")[..8]);
        var horizontal = new SyntheticHorizontal { Rows = rows, Parties = hosts + 1, DirichletAlpha = 0.5, Seed = 11 }.WriteTo(Path.Combine(directory, "data"));
        var files = new SyntheticFiles(horizontal.PartyPaths[0], horizontal.PartyPaths.Skip(1).ToList(), 0);
        editData?.Invoke(files);
        var federation = LocalFederation.Prepare(directory, files.GuestPath, files.HostPaths, null);
        beforeStart?.Invoke(federation);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await federation.StartAsync(TimeSpan.FromSeconds(150), timeout.Token);
        return new RunningFederation(directory, files, federation) { TestPath = horizontal.TestPath };
    }

    /// <summary>Held-out rows of a horizontal federation's population (no party trains on them).</summary>
    public string TestPath { get; private init; } = "";

    /// <summary>A horizontal job over the guest and every host, <paramref name="training"/> indented under <c>training:</c>.</summary>
    public string HorizontalYaml(string training) =>
        "name: it-horizontal\nkind: horizontal\ndata:\n  bank: customers\n"
        + string.Concat(Federation.Hosts.Select(h => $"  {h}: subscribers\n"))
        + "aggregator: arbiter\ntraining:\n" + training + "\n";

    public string HostId => Federation.Hosts[0];

    public static string JobYaml(string training, string extra = "", string hosts = "telecom: subscribers") => $"""
        name: it
        psi: {'{'} id_column: id {'}'}
        data:
          guest: customers
          label_column: y
          hosts: {'{'} {hosts} {'}'}
        arbiter: arbiter
        training:
        {training}
        {extra}
        """;

    public async Task<string> SubmitAsync(string yaml)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reply = await Operator.Operator.SubmitAsync(new SubmitJobRequest { SpecYaml = yaml, Source = "test.yaml" }, cancellationToken: timeout.Token);
        return reply.JobId;
    }

    /// <summary>Follows the job to its end and returns the guest's report.</summary>
    public async Task<JobReport> WaitAsync(string jobId)
    {
        using var timeout = new CancellationTokenSource(JobTimeout);
        await JobWatcher.FollowAsync(Operator, jobId, quiet: true, timeout.Token);
        return await Operator.Operator.GetAsync(new JobRef { JobId = jobId }, cancellationToken: timeout.Token);
    }

    public string Log(string party) => LocalFederation.Tail(Federation.Process(party).LogPath, 40);

    public void Dispose()
    {
        Operator.Dispose();
        Federation.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
