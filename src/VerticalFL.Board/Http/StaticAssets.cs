namespace VerticalFL.Board.Http;

/// <summary>The board's script and stylesheet, embedded in the assembly (nothing is fetched from elsewhere).</summary>
internal static class StaticAssets
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = new(StringComparer.Ordinal)
    {
        ["board.js"] = (Read("board.js"), "text/javascript; charset=utf-8"),
        ["board.css"] = (Read("board.css"), "text/css; charset=utf-8"),
    };

    public static (byte[] Content, string Type)? Find(string name) => Files.TryGetValue(name, out var file) ? file : null;

    private static byte[] Read(string name)
    {
        using var stream = typeof(StaticAssets).Assembly.GetManifestResourceStream("board/" + name)
            ?? throw new InvalidOperationException($"The board asset '{name}' is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
