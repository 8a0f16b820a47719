using System.Text;
using CsvHelper;
using VerticalFL.Ml.Data;

namespace VerticalFL.Protocol.Psi;

/// <summary>What to do when an id repeats within one file.</summary>
public enum DuplicateIdPolicy
{
    /// <summary>Refuse the file, naming the line (the default: a repeated id is usually a data error).</summary>
    Reject,

    /// <summary>Use the first row with the id and ignore later ones.</summary>
    KeepFirst,
}

/// <summary>
/// A party's PSI input: a CSV file with a header, read for its id column and checked line by line.
/// After the protocol, <see cref="WriteAligned"/> writes the file's rows for the intersection, sorted by id.
/// </summary>
public sealed class PsiIdFile
{
    /// <summary>Ids longer than this (in UTF-8 bytes) are refused.</summary>
    public const int MaxIdBytes = 256;

    private PsiIdFile(string path, string idColumn, int idField, string[] ids, int[] records)
    {
        Path = path;
        IdColumn = idColumn;
        IdField = idField;
        Ids = ids;
        Records = records;
    }

    public string Path { get; }

    public string IdColumn { get; }

    /// <summary>The ids in file order (with <see cref="DuplicateIdPolicy.KeepFirst"/>, first occurrences only).</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Zero-based field index of the id column.</summary>
    internal int IdField { get; }

    /// <summary><c>Records[i]</c>: the zero-based data record (header excluded) that <c>Ids[i]</c> came from.</summary>
    internal int[] Records { get; }

    /// <summary>Reads and checks the id column; every problem is a <see cref="BadInputException"/> naming path and line.</summary>
    public static PsiIdFile Read(string path, string idColumn = "id", DuplicateIdPolicy duplicates = DuplicateIdPolicy.Reject)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(idColumn);
        using var csv = IdCsv.Open(path);
        var header = csv.ReadHeader();
        int idField = Array.IndexOf(header, idColumn);
        if (idField < 0)
            throw BadInputException.At(path, 1, $"no column '{idColumn}' in the header (columns: {string.Join(", ", header)}).");

        var ids = new List<string>();
        var records = new List<int>();
        var firstLine = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int record = 0; csv.ReadRecord(); record++)
        {
            string id = csv.Field(idField);
            CheckId(path, csv.Line, id);
            if (!firstLine.TryAdd(id, csv.Line))
            {
                if (duplicates == DuplicateIdPolicy.KeepFirst)
                    continue;
                throw BadInputException.At(path, csv.Line, $"duplicate id (first on line {firstLine[id]}); choose keep_first (vfl psi --keep-first) to use the first row.");
            }
            ids.Add(id);
            records.Add(record);
        }
        if (ids.Count == 0)
            throw BadInputException.At(path, 2, "the file has a header but no rows.");
        return new PsiIdFile(path, idColumn, idField, [.. ids], [.. records]);
    }

    /// <summary>
    /// Writes this file's rows for <paramref name="result"/> (header kept, sorted by id) to
    /// <paramref name="outputPath"/> atomically.
    /// </summary>
    /// <exception cref="PsiFailedException">The intersection is empty; nothing is written.</exception>
    public void WriteAligned(PsiResult result, string outputPath) => WriteAligned([(this, result, outputPath)]);

    /// <summary>Writes several aligned files: all of them, or (on any error) none.</summary>
    public static void WriteAligned(IReadOnlyList<(PsiIdFile File, PsiResult Result, string OutputPath)> outputs) =>
        AlignedRowWriter.WriteAll(outputs);

    private static void CheckId(string path, long line, string id)
    {
        if (id.Length == 0)
            throw BadInputException.At(path, line, "empty id.");
        int bytes = Encoding.UTF8.GetByteCount(id);
        if (bytes > MaxIdBytes)
            throw BadInputException.At(path, line, $"id is {bytes} bytes of UTF-8; the limit is {MaxIdBytes}.");
    }
}
