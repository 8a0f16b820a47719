namespace VerticalFL.Storage.Tests.Fixtures;

/// <summary>Provides store connection strings for one test class, and cleans up after it.</summary>
public interface IDatabaseFixture
{
    /// <summary>A database shared by the tests of one class; tests keep apart by using unique ids.</summary>
    string Shared { get; }

    /// <summary>A new, empty database (for migration tests).</summary>
    Task<string> CreateDatabaseAsync();
}
