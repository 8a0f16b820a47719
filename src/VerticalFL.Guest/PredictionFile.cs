using System.Globalization;
using VerticalFL.Protocol.Prediction;
using VerticalFL.Crypto.Io;

namespace VerticalFL.Guest;

/// <summary>Writes predictions as CSV (id, probability, label), atomically; probabilities round-trip (every bit), so online scores can be checked against them.</summary>
internal static class PredictionFile
{
    public static void Write(string path, IReadOnlyList<PredictionRow> rows)
    {
        AtomicFile.WriteText(path, writer =>
        {
            writer.WriteLine("id,probability,label");
            foreach (var row in rows)
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Quote(row.Id)},{row.Probability:R},{row.Label}"));
        }, isPrivate: true);
    }

    private static string Quote(string id) =>
        id.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{id.Replace("\"", "\"\"")}\"" : id;
}
