using VerticalFL.Ml.Data;

namespace VerticalFL.Protocol.Serving;

/// <summary>
/// A <see cref="ScoreTable"/> built from a file, rebuilt when the file changes. Requests read <see cref="Current"/>
/// while a reload runs: the new table is built aside and swapped in with one reference write, so no request ever
/// sees half a table or waits for one. A file that fails to load leaves the previous table serving.
/// </summary>
public sealed class ReloadingTable
{
    private readonly Func<string, ScoreTable> _load;
    private readonly object _reloading = new();
    private ScoreTable _current;
    private (DateTime Written, long Length) _stamp;

    /// <param name="load">Builds a table from the file (it throws <see cref="BadInputException"/> on bad data).</param>
    /// <exception cref="BadInputException">The first load failed: there is nothing to serve.</exception>
    public ReloadingTable(string path, Func<string, ScoreTable> load)
    {
        Path = path;
        _load = load;
        _stamp = Stamp(path);
        _current = load(path);
    }

    public string Path { get; }

    public ScoreTable Current => Volatile.Read(ref _current);

    /// <summary>Why the last reload failed (the previous table kept serving), or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Rebuilds the table when the file's modification time or length changed since the last load.</summary>
    /// <returns>True when a new table was swapped in.</returns>
    public bool ReloadIfChanged()
    {
        lock (_reloading)
        {
            var stamp = Stamp(Path);
            if (stamp == _stamp)
                return false;
            try
            {
                var table = _load(Path);
                Volatile.Write(ref _current, table);
                LastError = null;
                return true;
            }
            catch (Exception e) when (e is BadInputException or IOException)
            {
                LastError = e.Message;
                return false;
            }
            finally
            {
                // A bad file is not retried until it changes again.
                _stamp = stamp;
            }
        }
    }

    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }
}
