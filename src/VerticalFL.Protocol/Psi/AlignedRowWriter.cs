using System.Text;
using VerticalFL.Ml.Data;

namespace VerticalFL.Protocol.Psi;

/// <summary>
/// Writes each party's rows for the intersection, header first, in the result's (sorted-by-id) order.
/// Rows are copied as they appear in the input. Files appear only when all are complete (temp + rename).
/// </summary>
internal static class AlignedRowWriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAll(IReadOnlyList<(PsiIdFile File, PsiResult Result, string OutputPath)> outputs)
    {
        foreach (var (file, result, _) in outputs)
        {
            if (result.Count == 0)
                throw new PsiFailedException($"The intersection is empty: no id of {file.Path} is shared, so there is nothing to align.");
        }
        var temps = new List<string>();
        try
        {
            foreach (var (file, result, output) in outputs)
            {
                string full = System.IO.Path.GetFullPath(output);
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                temps.Add($"{full}.{Guid.NewGuid():N}.tmp");
                Write(file, result, temps[^1]);
            }
            for (int i = 0; i < outputs.Count; i++)
                File.Move(temps[i], outputs[i].OutputPath, overwrite: true);
        }
        finally
        {
            foreach (var temp in temps)
                File.Delete(temp);
        }
    }

    private static void Write(PsiIdFile file, PsiResult result, string path)
    {
        var rankOfRecord = RankOfRecord(file, result);
        var rows = new string[result.Count];
        string header;
        using (var csv = IdCsv.Open(file.Path))
        {
            csv.ReadHeader();
            header = csv.RawRecord;
            for (int record = 0; csv.ReadRecord(); record++)
            {
                if (record >= rankOfRecord.Length || rankOfRecord[record] < 0)
                    continue;
                int rank = rankOfRecord[record];
                if (!string.Equals(csv.Field(file.IdField), result.Ids[rank], StringComparison.Ordinal))
                    throw BadInputException.At(file.Path, csv.Line, "the file changed while PSI was running.");
                rows[rank] = csv.RawRecord;
            }
        }
        if (Array.IndexOf(rows, null) is int missing and >= 0)
            throw new BadInputException($"{file.Path}: the file changed while PSI was running (row for result {missing} is gone).");

        using var writer = new StreamWriter(path, append: false, Utf8NoBom, 1 << 16);
        writer.Write(header);
        writer.Write('\n');
        foreach (var row in rows)
        {
            writer.Write(row);
            writer.Write('\n');
        }
    }

    /// <summary>For each data record of the file: its position in the output, or −1.</summary>
    private static int[] RankOfRecord(PsiIdFile file, PsiResult result)
    {
        var rank = new int[file.Records.Length == 0 ? 0 : file.Records[^1] + 1];
        Array.Fill(rank, -1);
        for (int i = 0; i < result.Count; i++)
        {
            int row = result.Rows[i];
            if (row >= file.Ids.Count || !string.Equals(file.Ids[row], result.Ids[i], StringComparison.Ordinal))
                throw new ArgumentException($"The result does not belong to {file.Path} (row {row}).", nameof(result));
            rank[file.Records[row]] = i;
        }
        return rank;
    }
}
