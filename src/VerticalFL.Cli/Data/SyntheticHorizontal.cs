using System.Globalization;
using System.Text;
using VerticalFL.Ml.Horizontal;

namespace VerticalFL.Cli.Data;

/// <summary>
/// Horizontal federation data: one population of customers with the same columns (id, y, x0 … x{n−1}) at different
/// scales, labelled by a logistic model, split by rows into one file per party — IID, or non-IID by label with a
/// Dirichlet(α) share of each class per party (<see cref="RowSplit.Dirichlet"/>) — plus a held-out test file.
/// </summary>
internal sealed class SyntheticHorizontal
{
    public required int Rows { get; init; }
    public int Parties { get; init; } = 3;
    public int Features { get; init; } = 8;
    /// <summary>Dirichlet α of the label split; null: an IID split.</summary>
    public double? DirichletAlpha { get; init; } = 0.5;
    /// <summary>Share of the rows kept out of every party for <see cref="HorizontalFiles.TestPath"/>.</summary>
    public double TestFraction { get; init; } = 0.2;
    public int Seed { get; init; } = 7;

    public HorizontalFiles WriteTo(string directory)
    {
        if (Rows < 10) throw new ArgumentOutOfRangeException(nameof(Rows), Rows, "--rows must be at least 10.");
        if (Parties < 2) throw new ArgumentOutOfRangeException(nameof(Parties), Parties, "--parties must be at least 2.");
        if (DirichletAlpha is { } a && !(a > 0)) throw new ArgumentOutOfRangeException(nameof(DirichletAlpha), a, "--dirichlet-alpha must be positive.");
        Directory.CreateDirectory(directory);
        var random = new Random(Seed);
        var weights = Enumerable.Range(0, Features).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var features = new double[Rows][];
        var labels = new double[Rows];
        for (int r = 0; r < Rows; r++)
        {
            features[r] = new double[Features];
            double score = -0.3;
            for (int j = 0; j < Features; j++)
            {
                double z = Gaussian(random);
                features[r][j] = z * (1 + j % 3) * 10 + 50 * (j % 4);   // different scales and offsets: the agreed scaling matters
                score += 1.5 * weights[j] * z;
            }
            labels[r] = random.NextDouble() < 1 / (1 + Math.Exp(-score)) ? 1 : 0;
        }
        int test = (int)(Rows * TestFraction);
        var testRows = Enumerable.Range(0, test).ToArray();
        var trainRows = Enumerable.Range(test, Rows - test).ToArray();
        var split = DirichletAlpha is { } alpha
            ? RowSplit.Dirichlet(trainRows.Select(r => labels[r]).ToArray(), Parties, alpha, Seed)
            : RowSplit.Iid(trainRows.Length, Parties, Seed);
        var paths = new List<string>();
        for (int p = 0; p < Parties; p++)
        {
            if (split[p].Length == 0)
                throw new ArgumentException($"party {p + 1} got no rows from the Dirichlet split; use more --rows or a larger --dirichlet-alpha.");
            string path = Path.Combine(directory, $"party{p + 1}.csv");
            Write(path, split[p].Select(i => trainRows[i]), features, labels);
            paths.Add(path);
        }
        string testPath = Path.Combine(directory, "test.csv");
        Write(testPath, testRows, features, labels);
        var positives = split.Select(rows => rows.Count(i => labels[trainRows[i]] == 1)).ToArray();
        return new HorizontalFiles(paths, testPath, split.Select(s => s.Length).ToArray(), positives);
    }

    private void Write(string path, IEnumerable<int> rows, double[][] features, double[] labels)
    {
        string temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
        {
            writer.WriteLine(string.Join(',', new[] { "id", "y" }.Concat(Enumerable.Range(0, Features).Select(j => $"x{j}"))));
            foreach (int r in rows)
                writer.WriteLine(string.Join(',', new[] { $"C{r:D8}", labels[r].ToString(CultureInfo.InvariantCulture) }
                    .Concat(features[r].Select(v => v.ToString("0.#####", CultureInfo.InvariantCulture)))));
        }
        File.Move(temporary, path, overwrite: true);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

/// <summary>The parties' files (rows and positives per party show how skewed the split is) and the held-out test file.</summary>
internal sealed record HorizontalFiles(IReadOnlyList<string> PartyPaths, string TestPath, int[] Rows, int[] Positives);
