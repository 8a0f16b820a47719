using System.CommandLine;
using VerticalFL.Transport.Security;

namespace VerticalFL.Cli.Commands;

/// <summary><c>vfl keys init</c>: a federation CA and one certificate + private key per party.</summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Directory for ca.crt, ca.key, <party>.crt and <party>.key", Required = true };
        var parties = new Option<string>("--parties") { Description = "Comma-separated party ids", DefaultValueFactory = _ => "guest,host,arbiter" };
        var days = new Option<int>("--days") { Description = "Certificate validity in days", DefaultValueFactory = _ => 365 };
        var force = new Option<bool>("--force") { Description = "Replace existing keys in --out" };
        var init = new Command("init", "Create a federation CA (ECDSA P-256) and a certificate + private key (mode 0600) per party")
        {
            output, parties, days, force,
        };
        init.SetAction(parse =>
        {
            var ids = (parse.GetValue(parties) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            int validDays = parse.GetValue(days);
            if (validDays < 1)
                throw new ArgumentException("--days must be at least 1.");
            var files = FederationKeys.Create(parse.GetValue(output)!, ids, TimeSpan.FromDays(validDays), parse.GetValue(force));
            foreach (var file in files)
                Console.WriteLine(file);
            Console.WriteLine($"Wrote a federation CA and {ids.Length} party certificate(s); private keys (*.key) are mode 0600: keep them out of git.");
            return ExitCodes.Success;
        });
        var keys = new Command("keys", "Federation certificates and keys for mutual TLS");
        keys.Subcommands.Add(init);
        return keys;
    }
}
