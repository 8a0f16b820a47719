using System.CommandLine;
using VerticalFL.Cli.Data;

namespace VerticalFL.Cli.Commands;

/// <summary><c>vfl datagen</c>: synthetic bank and telecom files with a partial id overlap.</summary>
internal static class DatagenCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Directory to write guest.csv and host.csv into", Required = true };
        var rows = new Option<int>("--rows") { Description = "Rows per party (--horizontal: rows in all, 20 % held out)", DefaultValueFactory = _ => 5000 };
        var overlap = new Option<double>("--overlap") { Description = "Fraction of each party's ids that all parties share (0..1)", DefaultValueFactory = _ => 0.8 };
        var hosts = new Option<int>("--hosts") { Description = "Number of host (telecom) files", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same files)", DefaultValueFactory = _ => 7 };
        var guestFeatures = new Option<int>("--guest-features") { Description = "Feature columns in the guest's file (FATE's performance shape: 30)", DefaultValueFactory = _ => 6 };
        var hostFeatures = new Option<int>("--host-features") { Description = "Feature columns in each host's file (FATE's performance shape: 300)", DefaultValueFactory = _ => 8 };
        var horizontal = new Option<bool>("--horizontal") { Description = "Horizontal data: the same columns at every party, rows split across --parties (non-IID by label unless --iid)" };
        var parties = new Option<int>("--parties") { Description = "--horizontal: number of data parties", DefaultValueFactory = _ => 3 };
        var alpha = new Option<double>("--dirichlet-alpha") { Description = "--horizontal: Dirichlet α of each label's split across parties (smaller: more skewed)", DefaultValueFactory = _ => 0.5 };
        var iid = new Option<bool>("--iid") { Description = "--horizontal: split the rows uniformly at random instead" };
        var command = new Command("datagen", "Generate synthetic bank (guest) and telecom (host) data with partial id overlap, or --horizontal row-split data")
        {
            outDir, rows, overlap, hosts, seed, guestFeatures, hostFeatures, horizontal, parties, alpha, iid,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(horizontal))
            {
                var split = new SyntheticHorizontal
                {
                    Rows = parse.GetValue(rows), Parties = parse.GetValue(parties), Seed = parse.GetValue(seed),
                    DirichletAlpha = parse.GetValue(iid) ? null : parse.GetValue(alpha),
                }.WriteTo(parse.GetValue(outDir)!);
                for (int p = 0; p < split.PartyPaths.Count; p++)
                    Console.WriteLine($"party {p + 1}: {split.PartyPaths[p]}   {split.Rows[p]} rows, {100.0 * split.Positives[p] / Math.Max(1, split.Rows[p]):0.0} % positive");
                Console.WriteLine($"held out: {split.TestPath}");
                return ExitCodes.Success;
            }
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
