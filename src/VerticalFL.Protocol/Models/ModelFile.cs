using System.Text.Json;
using System.Text.Json.Nodes;
using VerticalFL.Ml.Data;
using VerticalFL.Crypto.Io;

namespace VerticalFL.Protocol.Models;

/// <summary>
/// Versioned JSON files for model parts: {"format": "vfl.hetero_lr.guest", "version": 1, "model": {…}}.
/// Writes go to a temporary file in the same directory and are renamed into place, so a reader
/// never sees half a model.
/// </summary>
public static class ModelFile
{
    public const int Version = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static void Save(string path, GuestModelPart part) => Write(path, GuestModelPart.FormatName, JsonSerializer.SerializeToNode(part, Json));

    public static void Save(string path, HostModelPart part) => Write(path, HostModelPart.FormatName, JsonSerializer.SerializeToNode(part, Json));

    /// <summary>The format of a horizontal job's global model (every party holds the whole model).</summary>
    public const string HorizontalFormat = "vfl.horizontal";

    public static void Save(string path, Horizontal.HorizontalModel model) => Write(path, HorizontalFormat, JsonSerializer.SerializeToNode(model, Json));

    public static Horizontal.HorizontalModel LoadHorizontal(string path) => Read<Horizontal.HorizontalModel>(path, HorizontalFormat);

    public static GuestModelPart LoadGuest(string path) => Read<GuestModelPart>(path, GuestModelPart.FormatName);

    public static HostModelPart LoadHost(string path) => Read<HostModelPart>(path, HostModelPart.FormatName);

    private static void Write(string path, string format, JsonNode? model)
    {
        var document = new JsonObject { ["format"] = format, ["version"] = Version, ["model"] = model };
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            document.WriteTo(writer);
        });
    }

    private static T Read<T>(string path, string format)
    {
        if (!File.Exists(path))
            throw new BadInputException($"{path}: model file not found.");
        try
        {
            var document = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new BadInputException($"{path}: not a model file (no JSON object).");
            string? actual = (string?)document["format"];
            if (actual != format)
                throw new BadInputException($"{path}: format is '{actual}', expected '{format}'.");
            int version = (int?)document["version"] ?? 0;
            if (version != Version)
                throw new BadInputException($"{path}: model version {version} is not supported (this build reads {Version}).");
            return document["model"].Deserialize<T>(Json) ?? throw new BadInputException($"{path}: no model.");
        }
        catch (JsonException e)
        {
            throw new BadInputException($"{path}: {e.Message}", e);
        }
    }
}
