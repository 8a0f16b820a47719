using System.Net;
using System.Net.Sockets;

namespace VerticalFL.Storage.Tests;

public sealed class StoreConnectionTests
{
    private const string Secret = "s3cret-Hunter2-9b1e";

    [Fact]
    public void Parse_SqliteRelativePath_ResolvesToFullPath()
    {
        var connection = StoreConnection.Parse("sqlite:data/vfl.db");

        Assert.Equal(StoreKind.Sqlite, connection.Kind);
        Assert.Equal(Path.GetFullPath("data/vfl.db"), connection.Target);
        Assert.Equal($"sqlite:{Path.GetFullPath("data/vfl.db")}", connection.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("sqlite:")]
    [InlineData("sqlite::memory:")]
    public void Parse_MissingOrUnusableTarget_ThrowsFormatException(string connectionString)
    {
        var error = Assert.Throws<FormatException>(() => StoreConnection.Parse(connectionString));

        Assert.Contains("sqlite:", error.Message);
    }

    [Fact]
    public void Parse_UnknownScheme_NamesTheScheme()
    {
        var error = Assert.Throws<FormatException>(() => StoreConnection.Parse($"postgres:Host=db;Password={Secret}"));

        Assert.Contains("'postgres:'", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
    }

    [Fact]
    public void Parse_ProviderStringWithoutScheme_DoesNotEchoIt()
    {
        var error = Assert.Throws<FormatException>(() => StoreConnection.Parse($"Server=db;Database=vfl;Password={Secret}"));

        Assert.Contains("prefix", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
    }

    [Fact]
    public void Parse_MySqlMisspeltOption_NamesOptionButNotItsValue()
    {
        var error = Assert.Throws<FormatException>(
            () => StoreConnection.Parse($"mysql:Server=db;Database=vfl;User ID=vfl;Pasword={Secret}"));

        Assert.Contains("'Pasword'", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret, error.Message);
    }

    [Fact]
    public void Parse_MySqlBadPortValue_NamesTheOption()
    {
        var error = Assert.Throws<FormatException>(
            () => StoreConnection.Parse($"mysql:Server=db;Port=abc;Database=vfl;Password={Secret}"));

        Assert.Contains("'Port'", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret, error.Message);
    }

    [Fact]
    public void Parse_MySqlUnbalancedQuote_ThrowsWithoutEchoing()
    {
        var error = Assert.Throws<FormatException>(
            () => StoreConnection.Parse($"mysql:Server=db;Database=vfl;Password='{Secret}"));

        Assert.DoesNotContain(Secret, error.Message);
    }

    [Theory]
    [InlineData("mysql:Database=vfl;User ID=vfl", "Server")]
    [InlineData("mysql:Server=db;User ID=vfl", "Database")]
    public void Parse_MySqlMissingRequiredOption_NamesIt(string connectionString, string option)
    {
        var error = Assert.Throws<FormatException>(() => StoreConnection.Parse(connectionString));

        Assert.Contains($"'{option}=", error.Message);
    }

    [Fact]
    public void ToString_MySqlWithPassword_RedactsIt()
    {
        var connection = StoreConnection.Parse($"mysql:Server=db;Database=vfl;User ID=vfl;Password={Secret};SslMode=Required");

        Assert.Equal(StoreKind.MySql, connection.Kind);
        Assert.DoesNotContain(Secret, connection.ToString());
        Assert.Contains("Password=***", connection.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Server=db", connection.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OpenAsync_UnreachableMySql_ExceptionOmitsPassword()
    {
        var port = UnusedLoopbackPort();

        var error = await Assert.ThrowsAsync<StoreException>(() => VflStore.OpenAsync(
            $"mysql:Server=127.0.0.1;Port={port};Database=vfl;User ID=vfl;Password={Secret};Connection Timeout=3;SslMode=None"));

        Assert.DoesNotContain(Secret, error.ToString());
        Assert.Contains($"Port={port}", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OpenAsync_SqliteInMissingDirectory_CreatesDirectoryAndFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"vfl-store-{Guid.NewGuid():N}", "nested");
        var path = Path.Combine(directory, "party.db");
        try
        {
            using (await VflStore.OpenAsync($"sqlite:{path}")) { }

            Assert.True(File.Exists(path));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
        }
    }

    [Fact]
    public async Task OpenAsync_SqlitePathIsADirectory_ThrowsStoreExceptionNamingPath()
    {
        var directory = Directory.CreateTempSubdirectory("vfl-store-dir-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<StoreException>(() => VflStore.OpenAsync($"sqlite:{directory}"));

            Assert.Contains(directory, error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int UnusedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
