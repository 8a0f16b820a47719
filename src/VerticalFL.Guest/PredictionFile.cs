using System.Globalization;
using System.Text;
using VerticalFL.Protocol.Prediction;

namespace VerticalFL.Guest;

/// <summary>Writes predictions as CSV (id, probability, label), atomically; probabilities round-trip (every bit), so online scores can be checked against them.</summary>
internal static class PredictionFile
{
    public static void Write(string path, IReadOnlyList<PredictionRow> rows)
    {
        string temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
        {
            writer.WriteLine("id,probability,label");
            foreach (var row in rows)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Quote(row.Id)},{row.Probability:R},{row.Label}"));
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static string Quote(string id) =>
        id.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{id.Replace("\"", "\"\"")}\"" : id;
}
