using Microsoft.Data.Sqlite;

namespace VerticalFL.Storage.Tests.Fixtures;

/// <summary>SQLite files in a temporary directory, deleted after the test class.</summary>
public sealed class SqliteFixture : IDatabaseFixture, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("vfl-store-tests-").FullName;

    public SqliteFixture() => Shared = $"sqlite:{Path.Combine(_directory, "shared.db")}";

    public string Shared { get; }

    public Task<string> CreateDatabaseAsync() =>
        Task.FromResult($"sqlite:{Path.Combine(_directory, $"{Guid.NewGuid():N}.db")}");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
