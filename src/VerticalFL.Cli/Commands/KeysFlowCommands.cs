using System.CommandLine;
using VerticalFL.Transport.Security;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl keys ca|request|sign</c>: the production flow. The CA operator makes the CA; each party makes its
/// own key and a signing request on its own machine and sends only the request; the CA operator signs it
/// for one role and sends back the certificate and <c>ca.crt</c>. No private key ever changes hands.
/// </summary>
internal static class KeysFlowCommands
{
    public static Command Ca()
    {
        var output = new Option<string>("--out") { Description = "Directory for ca.crt and ca.key (keep ca.key on the CA operator's machine only)", Required = true };
        var days = Days(3650);
        var force = Force();
        var command = new Command("ca", "Create the federation CA (ECDSA P-256): ca.crt for every party, ca.key (0600) for the CA operator only")
        {
            output, days, force,
        };
        command.SetAction(parse =>
        {
            foreach (var file in CertificateSigning.CreateCa(parse.GetValue(output)!, ValidDays(parse, days), parse.GetValue(force)))
                Console.WriteLine(file);
            Console.WriteLine("Send ca.crt to every party; ca.key never leaves this machine.");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Request()
    {
        var party = new Option<string>("--party") { Description = "This party's id (as in its config's party.id)", Required = true };
        var output = new Option<string>("--out") { Description = "Directory for ID.key (mode 0600) and ID.csr", Required = true };
        var force = Force();
        var command = new Command("request", "Make this party's private key and a certificate signing request for the CA operator")
        {
            party, output, force,
        };
        command.SetAction(parse =>
        {
            var files = CertificateSigning.Request(parse.GetValue(output)!, parse.GetValue(party)!, parse.GetValue(force));
            foreach (var file in files)
                Console.WriteLine(file);
            Console.WriteLine($"Send {files[1]} to the CA operator; {files[0]} (mode 0600) stays on this machine.");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Sign()
    {
        var ca = new Option<string>("--ca") { Description = "Directory holding ca.crt and ca.key", Required = true };
        var csr = new Option<string>("--csr") { Description = "The party's signing request (ID.csr from 'vfl keys request')", Required = true };
        var role = new Option<string>("--role") { Description = "The role the party may act in", Required = true };
        role.AcceptOnlyFromAmong([.. CertificateRoles.Known]);
        var output = new Option<string>("--out") { Description = "Where to write the certificate (ID.crt)", Required = true };
        var days = Days(365);
        var force = Force();
        var command = new Command("sign", "Sign a party's request as the CA operator: the certificate names the party id (from the request) and its role")
        {
            ca, csr, role, output, days, force,
        };
        command.SetAction(parse =>
        {
            string outPath = parse.GetValue(output)!;
            string party = CertificateSigning.Sign(parse.GetValue(ca)!, parse.GetValue(csr)!, parse.GetValue(role)!, outPath,
                ValidDays(parse, days), parse.GetValue(force));
            Console.WriteLine(outPath);
            Console.WriteLine($"Signed '{party}' as {parse.GetValue(role)}; send {outPath} and ca.crt back to the party.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<int> Days(int fallback) =>
        new("--days") { Description = "Validity in days", DefaultValueFactory = _ => fallback };

    private static Option<bool> Force() => new("--force") { Description = "Replace existing files" };

    private static TimeSpan ValidDays(ParseResult parse, Option<int> days)
    {
        int value = parse.GetValue(days);
        return value >= 1 ? TimeSpan.FromDays(value) : throw new ArgumentException("--days must be at least 1.");
    }
}
