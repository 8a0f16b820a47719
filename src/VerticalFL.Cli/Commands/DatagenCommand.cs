using System.CommandLine;
using VerticalFL.Cli.Data;

namespace VerticalFL.Cli.Commands;

/// <summary><c>vfl datagen</c>: synthetic bank and telecom files with a partial id overlap.</summary>
internal static class DatagenCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Directory to write guest.csv and host.csv into", Required = true };
        var rows = new Option<int>("--rows") { Description = "Rows per party", DefaultValueFactory = _ => 5000 };
        var overlap = new Option<double>("--overlap") { Description = "Fraction of each party's ids that all parties share (0..1)", DefaultValueFactory = _ => 0.8 };
        var hosts = new Option<int>("--hosts") { Description = "Number of host (telecom) files", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same files)", DefaultValueFactory = _ => 7 };
        var guestFeatures = new Option<int>("--guest-features") { Description = "Feature columns in the guest's file (FATE's performance shape: 30)", DefaultValueFactory = _ => 6 };
        var hostFeatures = new Option<int>("--host-features") { Description = "Feature columns in each host's file (FATE's performance shape: 300)", DefaultValueFactory = _ => 8 };
        var command = new Command("datagen", "Generate synthetic bank (guest) and telecom (host) data with partial id overlap")
        {
            outDir, rows, overlap, hosts, seed, guestFeatures, hostFeatures,
        };
        command.SetAction(parse =>
        {
            var files = new SyntheticFederation
            {
                Rows = parse.GetValue(rows),
                Overlap = parse.GetValue(overlap),
                Hosts = parse.GetValue(hosts),
                Seed = parse.GetValue(seed),
                GuestFeatures = parse.GetValue(guestFeatures),
                HostFeatures = parse.GetValue(hostFeatures),
            }.WriteTo(parse.GetValue(outDir)!);
            Console.WriteLine($"guest: {files.GuestPath}");
            foreach (var host in files.HostPaths) Console.WriteLine($"host:  {host}");
            Console.WriteLine($"shared customers: {files.SharedCustomers}");
            return ExitCodes.Success;
        });
        return command;
    }
}
