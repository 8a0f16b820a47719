namespace VerticalFL.BrowserTests;

/// <summary>
/// Debian's <c>chromium</c> (tests/setup/install-deps.sh installs it). Playwright drives it through its executable
/// path and never downloads a browser of its own.
/// </summary>
internal static class Chromium
{
    /// <summary>The browser (VFL_CHROMIUM if set, else Debian's paths), or null when it is not there.</summary>
    public static string? Path { get; } =
        (Environment.GetEnvironmentVariable("VFL_CHROMIUM") is { Length: > 0 } chosen ? [chosen] : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        .FirstOrDefault(File.Exists);

    /// <summary>On CI (CI=true) a missing browser must fail the run, never skip it.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public const string Missing = "chromium is not installed: run tests/setup/install-deps.sh (apt-get install --no-install-recommends chromium)";
}

/// <summary>
/// A test that needs the browser: reported as skipped (with the reason) when chromium is missing, unless CI=true, where
/// it runs and fails saying the browser is missing.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.Path is null && !Chromium.Required)
            Skip = Chromium.Missing + "; with CI=true this test fails instead of skipping";
    }
}
