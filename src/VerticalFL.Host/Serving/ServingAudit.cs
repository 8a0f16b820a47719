using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using VerticalFL.Crypto.Io;

namespace VerticalFL.Host.Serving;

/// <summary>
/// The host's audit trail of online prediction: one JSON line per request (time, guest, deployment, version, request
/// id, outcome, and each id as HMAC-SHA256 under a key only this host holds, truncated to 128 bits). Ids never appear
/// in clear; the host's operator answers "was customer X queried?" by hashing X with the same key (<see cref="Hash"/>).
/// Lines are queued and appended by one background writer, so a request never waits on the disk.
/// </summary>
internal sealed class ServingAudit : IAsyncDisposable
{
    private readonly byte[] _key;
    private readonly string _path;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public ServingAudit(string directory)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "audit.jsonl");
        _key = LoadOrCreateKey(Path.Combine(directory, "audit.key"));
        _pump = Task.Run(PumpAsync);
    }

    public string FilePath => _path;

    /// <summary>The keyed hash under which <paramref name="id"/> appears in the audit file.</summary>
    public string Hash(string id) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(id)).AsSpan(0, 16));

    public void Record(string guest, string name, string version, ulong requestId, IReadOnlyList<string> ids, string outcome)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", DateTimeOffset.UtcNow);
            json.WriteString("guest", guest);
            json.WriteString("deployment", name);
            json.WriteString("version", version);
            json.WriteNumber("request_id", requestId);
            json.WriteString("outcome", outcome);
            json.WriteStartArray("id_hashes");
            foreach (var id in ids)
                json.WriteStringValue(Hash(id));
            json.WriteEndArray();
            json.WriteEndObject();
        }
        _lines.Writer.TryWrite(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private async Task PumpAsync()
    {
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var file = new StreamWriter(new FileStream(_path, options), new UTF8Encoding(false));
        while (await _lines.Reader.WaitToReadAsync())
        {
            while (_lines.Reader.TryRead(out var line))
                await file.WriteLineAsync(line);
            await file.FlushAsync();
        }
    }

    /// <summary>32 random bytes kept in a 0600 file beside the audit trail: the same key across restarts keeps hashes comparable.</summary>
    private static byte[] LoadOrCreateKey(string path)
    {
        if (File.Exists(path))
        {
            var key = File.ReadAllBytes(path);
            return key.Length == 32 ? key : throw new InvalidDataException($"{path}: the serving audit key must be 32 bytes (got {key.Length}).");
        }
        var fresh = RandomNumberGenerator.GetBytes(32);
        AtomicFile.Write(path, fresh, isPrivate: true);
        return fresh;
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        await _pump;
    }
}
