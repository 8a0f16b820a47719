using MySqlConnector;
using VerticalFL.Storage;

namespace VerticalFL.Board.Tests;

/// <summary>
/// A store seeded with what the board must show, served by a real <see cref="BoardServer"/> on a loopback port:
/// a training job of 1,000 epochs with an audit trail of 100,000 rows, a job whose name is a script tag, a failed
/// job, a PSI job and participants.
/// </summary>
public abstract class BoardStoreFixture : IAsyncLifetime
{
    public const int Epochs = 1000, AuditRows = 100_000;
    public const string BigJob = "job-big", XssJob = "job-xss", FailedJob = "job-failed", PsiJob = "job-psi";
    public const string XssName = "<script>alert('board')</script>";

    public VflStore Store { get; private set; } = null!;
    public BoardServer Server { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    protected abstract Task<string> CreateStoreAsync();

    protected virtual Task DropStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Store = await VflStore.OpenAsync(await CreateStoreAsync());
        await SeedAsync(Store);
        Server = await BoardServer.StartAsync(Store, new BoardOptions { Endpoint = new(System.Net.IPAddress.Loopback, 0), PartyId = "bank" });
        Http.BaseAddress = new Uri(Server.Address.GetLeftPart(UriPartial.Authority));
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Store.Dispose();
        await DropStoreAsync();
    }

    private static async Task SeedAsync(VflStore store)
    {
        JobParty[] parties = [new("bank", PartyRole.Guest), new("telecom", PartyRole.Host), new("arbiter", PartyRole.Arbiter)];
        await store.Jobs.CreateAsync(new NewJob(PsiJob, PartyRole.Guest, "bank", parties[..2], "name: ids\nkind: psi\n") { Kind = "psi" });
        await store.Jobs.TransitionAsync(PsiJob, JobState.Pending, JobState.Psi);
        await store.Jobs.TransitionAsync(PsiJob, JobState.Psi, JobState.Succeeded);
        await store.Jobs.CreateAsync(new NewJob(FailedJob, PartyRole.Guest, "bank", parties, "name: broken\n"));
        await store.Jobs.TransitionAsync(FailedJob, JobState.Pending, JobState.Psi);
        await store.Jobs.FailAsync(FailedJob, "telecom failed: the party is shutting down (stopped by its operator or the system)");
        await store.Jobs.CreateAsync(new NewJob(XssJob, PartyRole.Guest, "bank", parties, $"name: \"{XssName}\"\n"));

        await store.Jobs.CreateAsync(new NewJob(BigJob, PartyRole.Guest, "bank", parties, $"name: big\ntraining:\n  epochs: {Epochs}\n  encryption: paillier\n"));
        await store.Jobs.TransitionAsync(BigJob, JobState.Pending, JobState.Psi);
        await store.Results.SaveAsync(BigJob, JobResultNames.Intersection, "4321");
        await store.Jobs.TransitionAsync(BigJob, JobState.Psi, JobState.Training);
        await store.Iterations.AddRangeAsync([.. Enumerable.Range(0, Epochs).Select(e =>
            new IterationRecord(BigJob, e, null, Loss(e), 0.7 + e * 1e-4, 0.4, 0.75, 0.5, 1000, 0))]);
        await store.Jobs.TransitionAsync(BigJob, JobState.Training, JobState.Evaluating);
        await store.Results.SaveAsync(BigJob, JobResultNames.Roc, "{\"auc\":0.8,\"ks\":0.5,\"points\":[[0,0,0],[0.4,0.1,0.6],[1,1,1]]}");
        await store.Models.SaveAsync(new NewModel(BigJob, "bank", PartyRole.Guest, "vfl.hetero_lr.guest",
            "{\"format\":\"vfl.hetero_lr.guest\",\"version\":1,\"model\":{\"feature_names\":[\"bank_x0\",\"bank_x1\"],\"weights\":[0.25,-0.5],\"intercept\":0.125}}"));
        await store.Iterations.AddAsync(new IterationRecord(BigJob, Epochs, null, Loss(Epochs), 0.81, 0.52, 0.77, 500, 1000, 0));
        await store.Jobs.TransitionAsync(BigJob, JobState.Evaluating, JobState.Succeeded, "auc 0.8100");
        var t0 = DateTime.UtcNow;
        for (int start = 0; start < AuditRows; start += 10_000)
            await store.Audit.AppendAsync([.. Enumerable.Range(start, 10_000).Select(i => new AuditEntry(BigJob, AuditDirection.Sent,
                i % 2 == 0 ? "vfl.v1.EncryptedScores" : "vfl.v1.MaskedGradient", i % 3 == 0 ? "arbiter" : "telecom", 100 + i % 7, t0.AddMilliseconds(i)))]);
        await store.Participants.UpsertAsync(new Participant("telecom", PartyRole.Host, new string('a', 64), "https://127.0.0.1:7002", t0));
    }

    public static double Loss(int epoch) => 0.69 * Math.Exp(-epoch / 300.0) + 0.3;
}

public sealed class SqliteBoardFixture : BoardStoreFixture
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vfl-board-tests-").FullName;

    protected override Task<string> CreateStoreAsync() => Task.FromResult($"sqlite:{Path.Combine(_directory, "board.db")}");

    protected override Task DropStoreAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>A fresh database on the MariaDB of tests/run.sh (VFL_TEST_MYSQL); without it the tests fail saying so.</summary>
public sealed class MariaDbBoardFixture : BoardStoreFixture
{
    private MySqlConnectionStringBuilder? _server;
    private string _database = "";

    protected override async Task<string> CreateStoreAsync()
    {
        var connection = Environment.GetEnvironmentVariable("VFL_TEST_MYSQL");
        if (string.IsNullOrWhiteSpace(connection))
            throw new InvalidOperationException("VFL_TEST_MYSQL is not set, so the MariaDB board tests cannot run. Run tests/run.sh, or "
                + "`bash -c 'source tests/setup/start-mariadb.sh; dotnet test tests/VerticalFL.Board.Tests'`; to skip them add --filter \"Category!=MySql\".");
        _server = new MySqlConnectionStringBuilder(connection);
        _database = $"vfl_b_{Guid.NewGuid():N}"[..30];
        await ExecuteAsync($"CREATE DATABASE `{_database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        return "mysql:" + new MySqlConnectionStringBuilder(_server.ConnectionString) { Database = _database }.ConnectionString;
    }

    protected override async Task DropStoreAsync()
    {
        if (_server is null) return;
        MySqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS `{_database}`");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(_server!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
