using MySqlConnector;

namespace VerticalFL.IntegrationTests;

/// <summary>Fresh databases on the MariaDB that tests/run.sh starts (VFL_TEST_MYSQL); fails loudly without it.</summary>
internal static class MariaDb
{
    public static async Task<string> CreateDatabaseAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("VFL_TEST_MYSQL");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("VFL_TEST_MYSQL is not set: run the tests with tests/run.sh, which starts MariaDB.");
        var server = new MySqlConnectionStringBuilder(connectionString);
        string name = $"vfl_it_{Guid.NewGuid():N}"[..30];
        await using (var connection = new MySqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new MySqlCommand($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", connection);
            await command.ExecuteNonQueryAsync();
        }
        return "mysql:" + new MySqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;
    }
}
