using System.Globalization;
using System.Text.Json;
using VerticalFL.Storage;

namespace VerticalFL.Board.Data;

/// <summary>
/// Reads the JSON the parties store (model parts, ROC points, the encryption description). A document the board
/// cannot read is shown as absent rather than failing the page: the store may hold formats newer than this build.
/// </summary>
internal static class StoredDocuments
{
    /// <summary>A model part's own feature weights, from <c>{"format":…,"model":{"feature_names":[…],"weights":[…],"intercept":…}}</c>.</summary>
    public static ModelPartView Model(ModelRecord record)
    {
        var weights = new List<(string, double)>();
        double? intercept = null;
        try
        {
            using var document = JsonDocument.Parse(record.Content);
            if (document.RootElement.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.Object)
            {
                if (model.TryGetProperty("feature_names", out var names) && model.TryGetProperty("weights", out var values)
                    && names.ValueKind == JsonValueKind.Array && values.ValueKind == JsonValueKind.Array)
                {
                    var n = names.EnumerateArray().Select(e => e.GetString() ?? "").ToList();
                    var w = values.EnumerateArray().Select(e => e.GetDouble()).ToList();
                    weights.AddRange(n.Zip(w));
                }
                if (model.TryGetProperty("intercept", out var b) && b.ValueKind == JsonValueKind.Number)
                    intercept = b.GetDouble();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            weights.Clear();
        }
        return new ModelPartView(record.PartyId, record.Role, record.Version, record.Format, weights, intercept, record.CreatedUtc);
    }

    /// <summary>ROC points saved at the guest's evaluation: <c>{"auc":…,"ks":…,"points":[[share,fpr,tpr],…]}</c>.</summary>
    public static RocView? Roc(string? json)
    {
        if (json is null) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var points = root.GetProperty("points").EnumerateArray()
                .Select(p => (p[0].GetDouble(), p[1].GetDouble(), p[2].GetDouble())).ToList();
            return new RocView(root.GetProperty("auc").GetDouble(), root.GetProperty("ks").GetDouble(), points);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException or FormatException)
        {
            return null;
        }
    }

    /// <summary>A JSON object of name → text, in its order (the encryption description).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>>? Pairs(string? json)
    {
        if (json is null) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.ToString()))];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public static long? Long(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
}
