using VerticalFL.Transport.Security;

namespace VerticalFL.Transport.Tests.Infrastructure;

/// <summary>Keys made once per test run with <see cref="FederationKeys"/>: our federation, and a foreign one.</summary>
internal static class TestKeys
{
    public static readonly string[] Parties = ["guest", "host", "arbiter", "outsider"];

    private static readonly Lazy<string> FederationDir = new(() => Create("federation", Parties));
    private static readonly Lazy<string> ForeignDir = new(() => Create("foreign", ["guest", "host"]));

    /// <summary>Directory of the federation the test servers trust.</summary>
    public static string Federation => FederationDir.Value;

    /// <summary>A second CA issuing certificates with the same party names: trusted by nobody here.</summary>
    public static string Foreign => ForeignDir.Value;

    public static FederationKeys.PartyFiles Of(string party) => FederationKeys.For(Federation, party);

    private static string Create(string name, string[] parties)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"vfl-transport-tests-{Environment.ProcessId}", name);
        FederationKeys.Create(dir, parties, TimeSpan.FromDays(2), overwrite: true);
        return dir;
    }
}
