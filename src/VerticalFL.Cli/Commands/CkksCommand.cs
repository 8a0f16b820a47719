using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using VerticalFL.Crypto.Ckks;
using VerticalFL.Crypto.Ckks.Serialization;
using VerticalFL.Ml.Data;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl ckks keygen|encrypt|decrypt|inspect</c>: CKKS keys and files in Microsoft SEAL's own formats, so an
/// operator can check keys by hand and a party can use SEAL on its side. Every file SEAL 4.x writes uncompressed
/// is read, and every file written here loads in SEAL.
/// </summary>
internal static class CkksCommand
{
    public static Command Create()
    {
        var ckks = new Command("ckks", "CKKS keys, encryption and decryption on files in Microsoft SEAL's format");
        ckks.Subcommands.Add(Keygen());
        ckks.Subcommands.Add(Encrypt());
        ckks.Subcommands.Add(Decrypt());
        ckks.Subcommands.Add(Inspect());
        return ckks;
    }

    private static Command Keygen()
    {
        var n = new Option<int>("--n") { Description = "Polynomial modulus degree N (4096, 8192 or 16384)", DefaultValueFactory = _ => 8192 };
        var bits = new Option<string>("--coeff-bits") { Description = "Bit sizes of the primes, as SEAL's CoeffModulus.Create takes them", DefaultValueFactory = _ => "60,40,40,60" };
        var output = new Option<string>("--out") { Description = "Directory for parms.seal, public.seal and secret.seal (0600)", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace existing files in --out" };
        var command = new Command("keygen", "Make CKKS parameters and a key pair (parms.seal, public.seal, secret.seal with mode 0600)") { n, bits, output, force };
        command.SetAction(parse =>
        {
            var parameters = CkksParameters.Create(parse.GetValue(n), ParseBits(parse.GetValue(bits)!));
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            string[] names = ["parms.seal", "public.seal", "secret.seal"];
            var existing = names.Select(name => Path.Combine(directory, name)).Where(File.Exists).ToList();
            if (existing.Count > 0 && !parse.GetValue(force))
                throw new BadInputException($"{existing[0]}: exists; pass --force to replace the key files in {directory}.");
            Directory.CreateDirectory(directory);
            var keys = new KeyGenerator(new CkksContext(parameters));
            using var secret = keys.SecretKey;
            SealFile.WriteAtomic(Path.Combine(directory, "parms.seal"), SealSerializer.Save(parameters));
            SealFile.WriteAtomic(Path.Combine(directory, "public.seal"), SealSerializer.Save(keys.CreatePublicKey()));
            var secretBytes = SealSerializer.SaveSecret(secret);
            try
            {
                SealFile.WriteAtomic(Path.Combine(directory, "secret.seal"), secretBytes, isPrivate: true);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secretBytes);
            }
            foreach (var name in names) Console.WriteLine(Path.Combine(directory, name));
            Console.WriteLine($"CKKS N = {parameters.PolyModulusDegree}, {parameters.CoeffModulus.Count} primes ({parameters.TotalModulusBits} bits); secret.seal is mode 0600: keep it to yourself.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Encrypt()
    {
        var parms = ParmsOption(required: true);
        var publicKey = new Option<string>("--public-key") { Description = "public.seal (SEAL PublicKey)", Required = true };
        var scaleBits = new Option<int>("--scale-bits") { Description = "Encode at scale 2^bits", DefaultValueFactory = _ => 40 };
        var input = new Option<string>("--in") { Description = "Values to encrypt: numbers separated by commas or new lines, one per slot", Required = true };
        var output = new Option<string>("--out") { Description = "Ciphertext file to write (SEAL Ciphertext)", Required = true };
        var command = new Command("encrypt", "Encrypt a file of numbers into one SEAL ciphertext") { parms, publicKey, scaleBits, input, output };
        command.SetAction(parse =>
        {
            var parameters = LoadParameters(parse.GetValue(parms)!);
            var keyPath = parse.GetValue(publicKey)!;
            var key = Guard(() => SealSerializer.LoadPublicKey(SealFile.Read(keyPath), parameters, keyPath));
            var values = ReadValues(parse.GetValue(input)!, parameters.PolyModulusDegree / 2);
            var bitsOfScale = parse.GetValue(scaleBits);
            if (bitsOfScale < 1 || bitsOfScale > 100)
                throw new BadInputException($"--scale-bits {bitsOfScale}: expected 1..100.");
            var context = new CkksContext(parameters);
            var plain = new CkksEncoder(context).Encode(values, Math.Pow(2, bitsOfScale));
            var cipher = new Encryptor(context, key).Encrypt(plain);
            SealFile.WriteAtomic(parse.GetValue(output)!, SealSerializer.Save(cipher));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Decrypt()
    {
        var parms = ParmsOption(required: true);
        var secretKey = new Option<string>("--secret-key") { Description = "secret.seal (SEAL SecretKey)", Required = true };
        var input = new Option<string>("--in") { Description = "Ciphertext file (SEAL Ciphertext)", Required = true };
        var count = new Option<int?>("--count") { Description = "Print only the first K slots (default: all N/2)" };
        var command = new Command("decrypt", "Decrypt a SEAL ciphertext and print its slots, one per line") { parms, secretKey, input, count };
        command.SetAction(parse =>
        {
            var parameters = LoadParameters(parse.GetValue(parms)!);
            string keyPath = parse.GetValue(secretKey)!, cipherPath = parse.GetValue(input)!;
            var cipher = Guard(() => SealSerializer.LoadCiphertext(SealFile.Read(cipherPath), parameters, cipherPath));
            var slots = parameters.PolyModulusDegree / 2;
            var k = parse.GetValue(count) ?? slots;
            if (k < 1 || k > slots)
                throw new BadInputException($"--count {k}: expected 1..{slots} (the slot count N/2).");
            var context = new CkksContext(parameters);
            using var key = Guard(() => SealFile.ReadSecret(keyPath, bytes => SealSerializer.LoadSecretKey(bytes, parameters, keyPath)));
            var values = new CkksEncoder(context).Decode(new Decryptor(context, key).Decrypt(cipher));
            var text = new System.Text.StringBuilder();
            for (var i = 0; i < k; i++) text.Append(values[i].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            Console.Out.Write(text);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Inspect()
    {
        var file = new Argument<string>("file") { Description = "A SEAL file: EncryptionParameters, Ciphertext, Plaintext, PublicKey or SecretKey" };
        var parms = ParmsOption(required: false);
        var command = new Command("inspect", "Say what a SEAL file's header and body hold (with --parms: also check it against those parameters)") { file, parms };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var parmsPath = parse.GetValue(parms);
            var parameters = parmsPath is null ? null : LoadParameters(parmsPath);
            var bytes = Guard(() => SealFile.Read(path));
            try
            {
                var inspection = Guard(() => SealInspector.Describe(bytes, path, parameters));
                foreach (var line in inspection.Lines) Console.WriteLine(line);
                if (inspection.Problem is not null)
                    throw new BadInputException(inspection.Problem);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes); // it may be a secret key
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Option<string> ParmsOption(bool required) =>
        new("--parms") { Description = "parms.seal (SEAL EncryptionParameters)", Required = required };

    private static CkksParameters LoadParameters(string path) =>
        Guard(() => SealSerializer.LoadParameters(SealFile.Read(path), path));

    /// <summary>A file SEAL's format refuses is bad input (exit 2), named in the message.</summary>
    private static T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SealFormatException e)
        {
            throw new BadInputException(e.Message, e);
        }
        catch (IOException e)
        {
            throw new BadInputException(e.Message, e);
        }
    }

    private static int[] ParseBits(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var bits = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bits[i]) || bits[i] < 1 || bits[i] > CkksParameters.MaxPrimeBits)
                throw new BadInputException($"--coeff-bits {text}: \"{parts[i]}\" is not a bit size in 1..{CkksParameters.MaxPrimeBits}.");
        return bits;
    }

    /// <summary>Numbers separated by commas or new lines; blank lines are skipped.</summary>
    internal static double[] ReadValues(string path, int slots)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{path}: {e.Message}", e);
        }
        var values = new List<double>();
        for (var line = 0; line < lines.Length; line++)
        {
            if (string.IsNullOrWhiteSpace(lines[line])) continue;
            foreach (var field in lines[line].Split(',', StringSplitOptions.TrimEntries))
            {
                if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                    throw BadInputException.At(path, line + 1, $"\"{field}\" is not a finite number.");
                values.Add(value);
            }
        }
        if (values.Count == 0)
            throw new BadInputException($"{path}: no values.");
        if (values.Count > slots)
            throw new BadInputException($"{path}: {values.Count} values, more than the {slots} slots of N = {2 * slots}.");
        return [.. values];
    }
}
