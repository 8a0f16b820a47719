using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using VerticalFL.Ml.Data;

namespace VerticalFL.Protocol.Psi;

/// <summary>
/// A CSV file read strictly as UTF-8, record by record, turning every parse problem into a
/// <see cref="BadInputException"/> with the physical line where the record starts.
/// </summary>
internal sealed class IdCsv : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _path;
    private readonly StreamReader _reader;
    private readonly CsvParser _parser;

    private IdCsv(string path)
    {
        _path = path;
        _reader = new StreamReader(OpenFile(path), StrictUtf8, detectEncodingFromByteOrderMarks: true);
        _parser = new CsvParser(_reader, new CsvConfiguration(CultureInfo.InvariantCulture));
    }

    /// <summary>Physical line (1-based) where the current record starts.</summary>
    public long Line { get; private set; }

    /// <summary>The current record as it appears in the file, without its line ending.</summary>
    public string RawRecord => _parser.RawRecord.TrimEnd('\r', '\n');

    public static IdCsv Open(string path) => new(path);

    /// <summary>The header's column names.</summary>
    public string[] ReadHeader()
    {
        if (!ReadRecord())
            throw BadInputException.At(_path, 1, "the file is empty (expected a header line).");
        return _parser.Record ?? [];
    }

    public bool ReadRecord()
    {
        try
        {
            if (!_parser.Read())
                return false;
        }
        catch (DecoderFallbackException)
        {
            throw BadInputException.At(_path, Utf8Scan.FirstInvalidLine(_path), "invalid UTF-8.");
        }
        catch (CsvHelperException e)
        {
            throw BadInputException.At(_path, e.Context?.Parser?.RawRow ?? Line + 1, "malformed CSV (" + e.GetType().Name + ").");
        }
        // RawRow is the line the record ends on; a quoted field may have spanned several lines.
        Line = _parser.RawRow - _parser.RawRecord.AsSpan().TrimEnd("\r\n").Count('\n');
        return true;
    }

    /// <summary>Field <paramref name="index"/> of the current record; a short record is bad input.</summary>
    public string Field(int index)
    {
        if (index >= _parser.Count)
            throw BadInputException.At(_path, Line, $"the row has {_parser.Count} fields; the id column is field {index + 1}.");
        return _parser[index];
    }

    public void Dispose()
    {
        _parser.Dispose();
        _reader.Dispose();
    }

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{path}: cannot read the file: {e.Message}", e);
        }
    }
}
