using System.Net;

namespace VerticalFL.Party.Config;

/// <summary>The guest's <c>serving:</c> section: its HTTPS JSON endpoint for the bank's applications and request deadlines.</summary>
public sealed class ServingSection
{
    /// <summary>IP:port of <c>POST /v1/models/{name}:predict</c> (HTTPS with the party's certificate); empty: off.</summary>
    public string ListenHttps { get; set; } = "";

    /// <summary>A file holding the API key applications send as <c>Authorization: Bearer KEY</c>; required with <see cref="ListenHttps"/>.</summary>
    public string ApiKeyFile { get; set; } = "";

    /// <summary>Default deadline of one prediction request, in milliseconds, hosts included.</summary>
    public int DeadlineMs { get; set; } = 100;

    public IEnumerable<string> Problems()
    {
        if (DeadlineMs < 1 || DeadlineMs > 60_000)
            yield return $"serving.deadline_ms must be between 1 and 60000 (got {DeadlineMs})";
        if (ListenHttps.Length > 0 && !IPEndPoint.TryParse(ListenHttps, out _))
            yield return $"serving.listen_https: '{ListenHttps}' is not an IP:port (e.g. 127.0.0.1:8443)";
        if (ListenHttps.Length > 0 && ApiKeyFile.Length == 0)
            yield return "serving.api_key_file is required with serving.listen_https (applications authenticate with that key)";
    }
}
