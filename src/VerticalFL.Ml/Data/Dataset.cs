namespace VerticalFL.Ml.Data;

/// <summary>
/// A dense table held by one party: row ids, named feature columns (row-major doubles) and, for the
/// party that owns them, labels in {0, 1}.
/// </summary>
public sealed class Dataset
{
    private readonly double[] _values;

    public Dataset(IReadOnlyList<string> ids, IReadOnlyList<string> featureNames, double[] values, double[]? labels = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != ids.Count * featureNames.Count)
            throw new ArgumentException(
                $"values has {values.Length} cells but {ids.Count} rows × {featureNames.Count} columns need {ids.Count * featureNames.Count}.",
                nameof(values));
        if (labels is not null && labels.Length != ids.Count)
            throw new ArgumentException($"labels has {labels.Length} entries for {ids.Count} rows.", nameof(labels));
        Ids = ids;
        FeatureNames = featureNames;
        _values = values;
        Labels = labels;
    }

    public IReadOnlyList<string> Ids { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Labels in {0, 1}, or null when this party holds none.</summary>
    public double[]? Labels { get; }

    public int Rows => Ids.Count;
    public int Columns => FeatureNames.Count;

    public double this[int row, int column] => _values[row * Columns + column];

    /// <summary>The feature values, row-major (<see cref="Rows"/> × <see cref="Columns"/>).</summary>
    public ReadOnlySpan<double> Values => _values;

    public ReadOnlySpan<double> Row(int row) => _values.AsSpan(row * Columns, Columns);

    /// <summary>The same table with its features replaced (e.g. after scaling).</summary>
    public Dataset WithValues(double[] values) => new(Ids, FeatureNames, values, Labels);

    /// <summary>The rows with these ids, in this order; an id not held is refused by name.</summary>
    public Dataset SelectRows(IReadOnlyList<string> ids)
    {
        var index = new Dictionary<string, int>(Rows);
        for (int r = 0; r < Rows; r++)
            index.TryAdd(Ids[r], r);
        var values = new double[ids.Count * Columns];
        var labels = Labels is null ? null : new double[ids.Count];
        for (int i = 0; i < ids.Count; i++)
        {
            if (!index.TryGetValue(ids[i], out int row))
                throw new BadInputException($"id '{ids[i]}' is not in this data.");
            Row(row).CopyTo(values.AsSpan(i * Columns));
            if (labels is not null)
                labels[i] = Labels![row];
        }
        return new Dataset(ids, FeatureNames, values, labels);
    }

    /// <summary>Joins parties' columns side by side; rows must be the same ids in the same order.</summary>
    public static Dataset JoinColumns(IReadOnlyList<Dataset> parts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count, nameof(parts));
        var first = parts[0];
        foreach (var part in parts.Skip(1))
        {
            if (part.Rows != first.Rows)
                throw new ArgumentException($"Cannot join a table of {part.Rows} rows to one of {first.Rows} rows.", nameof(parts));
            for (int r = 0; r < first.Rows; r++)
                if (part.Ids[r] != first.Ids[r])
                    throw new ArgumentException($"Row {r}: id '{part.Ids[r]}' does not match '{first.Ids[r]}'.", nameof(parts));
        }
        int columns = parts.Sum(p => p.Columns);
        var values = new double[first.Rows * columns];
        for (int r = 0; r < first.Rows; r++)
        {
            int offset = r * columns;
            foreach (var part in parts)
            {
                part.Row(r).CopyTo(values.AsSpan(offset));
                offset += part.Columns;
            }
        }
        var names = parts.SelectMany(p => p.FeatureNames).ToArray();
        var labels = parts.Select(p => p.Labels).FirstOrDefault(l => l is not null);
        return new Dataset(first.Ids, names, values, labels);
    }

    /// <summary>Stacks tables with the same columns (horizontal data: same features, different people).</summary>
    public static Dataset JoinRows(IReadOnlyList<Dataset> parts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count, nameof(parts));
        var names = parts[0].FeatureNames;
        if (parts.FirstOrDefault(p => !p.FeatureNames.SequenceEqual(names)) is { } other)
            throw new ArgumentException($"Cannot stack a table with columns [{string.Join(", ", other.FeatureNames)}] under [{string.Join(", ", names)}].", nameof(parts));
        bool labelled = parts.All(p => p.Labels is not null);
        return new Dataset(parts.SelectMany(p => p.Ids).ToArray(), names, parts.SelectMany(p => p.Values.ToArray()).ToArray(),
            labelled ? parts.SelectMany(p => p.Labels!).ToArray() : null);
    }

    /// <summary>The rows at these positions, in this order.</summary>
    public Dataset RowsAt(IReadOnlyList<int> rows)
    {
        var values = new double[rows.Count * Columns];
        for (int i = 0; i < rows.Count; i++)
            Row(rows[i]).CopyTo(values.AsSpan(i * Columns));
        return new Dataset(rows.Select(r => Ids[r]).ToArray(), FeatureNames, values, Labels is null ? null : rows.Select(r => Labels[r]).ToArray());
    }
}
