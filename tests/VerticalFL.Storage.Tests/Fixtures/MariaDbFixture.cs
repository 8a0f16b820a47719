using MySqlConnector;

namespace VerticalFL.Storage.Tests.Fixtures;

/// <summary>
/// Fresh, randomly named databases on the MariaDB that tests/run.sh starts (VFL_TEST_MYSQL), dropped
/// after the test class. Without VFL_TEST_MYSQL every test of the class fails, saying why.
/// </summary>
public sealed class MariaDbFixture : IDatabaseFixture, IAsyncLifetime
{
    public const string Variable = "VFL_TEST_MYSQL";

    private readonly List<string> _databases = [];
    private MySqlConnectionStringBuilder _server = new();

    public string Shared { get; private set; } = "";

    /// <summary>The server's connection string (database: the one the test script created).</summary>
    public string ServerConnectionString => _server.ConnectionString;

    public async Task InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"{Variable} is not set, so the MariaDB store tests cannot run. Run tests/run.sh, or "
                + "`bash -c 'source tests/setup/start-mariadb.sh; dotnet test tests/VerticalFL.Storage.Tests'`; "
                + "to run only the SQLite tests add --filter \"Category!=MySql\".");
        _server = new MySqlConnectionStringBuilder(connectionString);
        Shared = await CreateDatabaseAsync();
    }

    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"vfl_t_{Guid.NewGuid():N}"[..30];
        await ExecuteAsync($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        _databases.Add(name);
        return "mysql:" + new MySqlConnectionStringBuilder(_server.ConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        MySqlConnection.ClearAllPools();
        foreach (var name in _databases)
            await ExecuteAsync($"DROP DATABASE IF EXISTS `{name}`");
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new MySqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
