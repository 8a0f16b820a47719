using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace VerticalFL.Ml.Data;

/// <summary>Options for <see cref="CsvDatasetReader"/>.</summary>
public sealed record CsvReadOptions
{
    public string IdColumn { get; init; } = "id";
    /// <summary>Name of the label column (values 0/1), or null when this party holds no labels.</summary>
    public string? LabelColumn { get; init; }
    public MissingValuePolicy MissingValues { get; init; } = MissingValuePolicy.Mean;
}

/// <summary>A loaded table and how many missing cells were imputed (to warn about).</summary>
public sealed record CsvReadResult(Dataset Dataset, int ImputedCells);

/// <summary>
/// Reads a party's CSV: an id column, an optional label column, every other column a numeric feature.
/// Errors name file:line:column.
/// </summary>
public static class CsvDatasetReader
{
    public static CsvReadResult Read(string path, CsvReadOptions? options = null)
    {
        options ??= new CsvReadOptions();
        if (!File.Exists(path))
            throw new BadInputException($"{path}: file not found.");
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim });
        if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is null)
            throw BadInputException.At(path, 1, "no header row.");
        var layout = Layout.From(path, csv.HeaderRecord, options);

        var ids = new List<string>();
        var labels = new List<double>();
        var cells = new List<double>();
        var missing = new List<int>(); // flat indices of empty cells, filled after the column means are known
        while (csv.Read())
        {
            long line = csv.Parser.RawRow;
            if (csv.Parser.Count != csv.HeaderRecord.Length)
                throw BadInputException.At(path, line, $"{csv.Parser.Count} fields, the header has {csv.HeaderRecord.Length}.");
            string id = csv.GetField(layout.Id) ?? "";
            if (id.Length == 0)
                throw BadInputException.At(path, line, $"empty id in column '{options.IdColumn}'.");
            ids.Add(id);
            if (layout.Label >= 0)
                labels.Add(ParseLabel(path, line, csv.GetField(layout.Label) ?? "", options.LabelColumn!));
            foreach (int column in layout.Features)
            {
                string text = csv.GetField(column) ?? "";
                if (text.Length == 0)
                {
                    if (options.MissingValues == MissingValuePolicy.Error)
                        throw BadInputException.At(path, line, $"column {column + 1} ('{csv.HeaderRecord[column]}'): missing value.");
                    missing.Add(cells.Count);
                    cells.Add(double.NaN);
                }
                else
                    cells.Add(ParseNumber(path, line, column, csv.HeaderRecord[column], text));
            }
        }
        if (ids.Count == 0)
            throw BadInputException.At(path, 2, "no data rows.");
        var values = cells.ToArray();
        ImputeMeans(values, layout.Features.Length, missing);
        var names = layout.Features.Select(c => csv.HeaderRecord[c]).ToArray();
        return new CsvReadResult(new Dataset(ids, names, values, layout.Label >= 0 ? labels.ToArray() : null), missing.Count);
    }

    private static double ParseNumber(string path, long line, int column, string name, string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
            return value;
        throw BadInputException.At(path, line, $"column {column + 1} ('{name}'): '{text}' is not a number.");
    }

    private static double ParseLabel(string path, long line, string text, string name) => text switch
    {
        "0" or "0.0" => 0,
        "1" or "1.0" => 1,
        _ => throw BadInputException.At(path, line, $"label column '{name}': '{text}' is not 0 or 1."),
    };

    private static void ImputeMeans(double[] values, int columns, List<int> missing)
    {
        if (missing.Count == 0)
            return;
        var sums = new double[columns];
        var counts = new int[columns];
        for (int i = 0; i < values.Length; i++)
            if (!double.IsNaN(values[i]))
            {
                sums[i % columns] += values[i];
                counts[i % columns]++;
            }
        foreach (int i in missing)
            values[i] = counts[i % columns] == 0 ? 0 : sums[i % columns] / counts[i % columns];
    }

    private sealed record Layout(int Id, int Label, int[] Features)
    {
        public static Layout From(string path, string[] header, CsvReadOptions options)
        {
            int id = Array.IndexOf(header, options.IdColumn);
            if (id < 0)
                throw BadInputException.At(path, 1, $"no id column '{options.IdColumn}' in the header.");
            int label = -1;
            if (options.LabelColumn is not null && (label = Array.IndexOf(header, options.LabelColumn)) < 0)
                throw BadInputException.At(path, 1, $"no label column '{options.LabelColumn}' in the header.");
            var features = Enumerable.Range(0, header.Length).Where(c => c != id && c != label).ToArray();
            if (features.Length == 0)
                throw BadInputException.At(path, 1, "no feature columns.");
            return new Layout(id, label, features);
        }
    }
}
