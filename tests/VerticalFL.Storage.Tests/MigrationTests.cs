using VerticalFL.Storage.Sql;

namespace VerticalFL.Storage.Tests;

public sealed class MigrationTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("mysql")]
    public void Load_Dialect_FindsNumberedScriptsFromOne(string folder)
    {
        var migrations = Migration.Load(folder);

        Assert.NotEmpty(migrations);
        Assert.Equal(Enumerable.Range(1, migrations.Count), migrations.Select(m => m.Version));
        Assert.All(migrations, m => Assert.NotEmpty(m.Statements));
    }

    [Fact]
    public void Load_BothDialects_HaveTheSameVersionsAndNames()
    {
        Assert.Equal(
            Migration.Load("sqlite").Select(m => (m.Version, m.Name)),
            Migration.Load("mysql").Select(m => (m.Version, m.Name)));
    }

    [Fact]
    public void Load_MySqlScripts_AreRerunnable()
    {
        // MySQL commits DDL implicitly, so a half-applied migration must be safe to run again.
        var creates = Migration.Load("mysql").SelectMany(m => m.Statements)
            .Where(s => s.StartsWith("CREATE", StringComparison.OrdinalIgnoreCase));

        Assert.All(creates, s => Assert.StartsWith("CREATE TABLE IF NOT EXISTS", s, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Load_InitialSqliteScript_SplitsIntoEveryStatement()
    {
        var initial = Migration.Load("sqlite")[0];

        Assert.Equal(7, initial.Statements.Count(s => s.StartsWith("CREATE TABLE", StringComparison.Ordinal)));
        Assert.DoesNotContain(initial.Statements, s => s.Contains("--", StringComparison.Ordinal));
    }
}
