using System.CommandLine;
using VerticalFL.Transport.Security;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl keys init</c>: for demos, one machine makes a CA and every party's certificate + private key.
/// Production uses <c>vfl keys ca|request|sign</c> (<see cref="KeysFlowCommands"/>), where keys stay with their owners.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Directory for ca.crt, ca.key, <party>.crt and <party>.key", Required = true };
        var parties = new Option<string>("--parties")
        {
            Description = "Comma-separated party ids, each optionally ID:ROLE to write its role into the certificate",
            DefaultValueFactory = _ => "guest:guest,host:host,arbiter:arbiter",
        };
        var days = new Option<int>("--days") { Description = "Certificate validity in days", DefaultValueFactory = _ => 365 };
        var force = new Option<bool>("--force") { Description = "Replace existing keys in --out" };
        var addParty = new Option<string>("--add-party")
        {
            Description = "Add this one party to the existing CA in --out (new key and certificate; the CA and other parties' files are kept)",
        };
        var role = new Option<string>("--role") { Description = "With --add-party: the party's role (guest, host or arbiter)" };
        var init = new Command("init", "DEMOS ONLY: one machine creates the CA and every party's private key. In production each party runs 'vfl keys request' and the CA operator 'vfl keys sign'")
        {
            output, parties, days, force, addParty, role,
        };
        init.SetAction(parse =>
        {
            if (parse.GetValue(addParty) is { } added)
                return AddParty(parse.GetValue(output)!, added, parse.GetValue(role), parse.GetValue(days), parse.GetValue(force),
                    parse.GetResult(parties) is { Implicit: false });
            if (parse.GetValue(role) is not null)
                throw new ArgumentException("--role goes with --add-party; for a new CA give roles in --parties as ID:ROLE.");
            var ids = (parse.GetValue(parties) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            int validDays = parse.GetValue(days);
            if (validDays < 1)
                throw new ArgumentException("--days must be at least 1.");
            var files = FederationKeys.Create(parse.GetValue(output)!, ids, TimeSpan.FromDays(validDays), parse.GetValue(force));
            foreach (var file in files)
                Console.WriteLine(file);
            Console.WriteLine($"Wrote a federation CA and {ids.Length} party certificate(s); private keys (*.key) are mode 0600: keep them out of git.");
            Console.WriteLine("For demos only: this machine now holds every party's private key and the CA key. In production use 'vfl keys ca', 'vfl keys request' (each party) and 'vfl keys sign' (CA operator).");
            return ExitCodes.Success;
        });
        var keys = new Command("keys", "Federation certificates and keys for mutual TLS");
        keys.Subcommands.Add(init);
        keys.Subcommands.Add(KeysFlowCommands.Ca());
        keys.Subcommands.Add(KeysFlowCommands.Request());
        keys.Subcommands.Add(KeysFlowCommands.Sign());
        return keys;
    }

    private static int AddParty(string directory, string party, string? role, int days, bool force, bool partiesGiven)
    {
        if (partiesGiven)
            throw new ArgumentException("--add-party adds one party to an existing CA; --parties makes a new CA: give one or the other.");
        if (string.IsNullOrWhiteSpace(role))
            throw new ArgumentException($"--add-party {party} needs --role guest|host|arbiter (written into its certificate).");
        if (days < 1)
            throw new ArgumentException("--days must be at least 1.");
        foreach (var file in FederationKeys.AddParty(directory, party, role, TimeSpan.FromDays(days), force))
            Console.WriteLine(file);
        Console.WriteLine($"Added '{party}' ({role}) to the CA in {directory}; the CA and the other parties' keys are unchanged.");
        Console.WriteLine($"Next: give {party} its .crt, .key and ca.crt; add it under peers: in the configs that talk to it "
            + "(and to trusted_guests: for a guest), then restart those parties: a config is read only at start.");
        return ExitCodes.Success;
    }
}
