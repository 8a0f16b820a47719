using System.Globalization;
using System.Text;
using VerticalFL.Crypto.Io;

namespace VerticalFL.Cli.Data;

/// <summary>
/// Generates a bank (guest: id, label, features) and a telecom (host: id, features) file about partly
/// the same customers. Labels follow a logistic model over the joined features, so a federated fit
/// can beat either party alone — which is the point of the demo.
/// </summary>
internal sealed class SyntheticFederation
{
    public required int Rows { get; init; }
    public required double Overlap { get; init; }
    public int GuestFeatures { get; init; } = 6;
    public int HostFeatures { get; init; } = 8;
    public int Hosts { get; init; } = 1;
    public int Seed { get; init; } = 7;

    /// <summary>Writes guest.csv and host.csv (or host1.csv, host2.csv … for several hosts); returns the paths.</summary>
    public SyntheticFiles WriteTo(string directory)
    {
        Validate();
        Directory.CreateDirectory(directory);
        var random = new Random(Seed);
        int shared = (int)Math.Round(Rows * Overlap);
        int population = shared + (Rows - shared) * (Hosts + 1);
        var idNumbers = Enumerable.Range(0, population).ToArray();
        random.Shuffle(idNumbers);   // ids carry no hint of who is shared
        var customers = idNumbers.Select(n => NewCustomer(random, n)).ToArray();
        double[] trueWeights = Enumerable.Range(0, GuestFeatures + HostFeatures * Hosts)
            .Select(_ => random.NextDouble() * 2 - 1).ToArray();

        // Customers [0, shared) are with every party; each party then gets its own private block.
        var guestRows = Range(0, shared).Concat(Range(shared, Rows - shared)).ToArray();
        string guestPath = Path.Combine(directory, "guest.csv");
        WriteCsv(guestPath, Shuffle(random, guestRows), customers, GuestHeader(), c => GuestCells(c, trueWeights, random));

        var hostPaths = new List<string>();
        for (int h = 0; h < Hosts; h++)
        {
            int privateStart = shared + (Rows - shared) * (h + 1);
            var hostRows = Range(0, shared).Concat(Range(privateStart, Rows - shared)).ToArray();
            string hostPath = Path.Combine(directory, Hosts == 1 ? "host.csv" : $"host{h + 1}.csv");
            int offset = GuestFeatures + HostFeatures * h;
            WriteCsv(hostPath, Shuffle(random, hostRows), customers, HostHeader(), c => HostCells(c, offset));
            hostPaths.Add(hostPath);
        }
        return new SyntheticFiles(guestPath, hostPaths, shared);
    }

    private void Validate()
    {
        if (Rows < 1) throw new ArgumentOutOfRangeException(nameof(Rows), Rows, "--rows must be at least 1.");
        if (Overlap is < 0 or > 1 || double.IsNaN(Overlap))
            throw new ArgumentOutOfRangeException(nameof(Overlap), Overlap, "--overlap must be between 0 and 1.");
        if (Hosts < 1) throw new ArgumentOutOfRangeException(nameof(Hosts), Hosts, "--hosts must be at least 1.");
        if (GuestFeatures is < 1 or > 10_000)
            throw new ArgumentOutOfRangeException(nameof(GuestFeatures), GuestFeatures, "--guest-features must be between 1 and 10000.");
        if (HostFeatures is < 1 or > 10_000)
            throw new ArgumentOutOfRangeException(nameof(HostFeatures), HostFeatures, "--host-features must be between 1 and 10000.");
    }

    private Customer NewCustomer(Random random, int idNumber)
    {
        var features = new double[GuestFeatures + HostFeatures * Hosts];
        for (int j = 0; j < features.Length; j++)
            features[j] = Gaussian(random) * (1 + j % 3) + j % 5;   // different scales: scaling matters
        return new Customer($"C{idNumber:D8}", features);
    }

    private IEnumerable<string> GuestHeader() =>
        new[] { "id", "y" }.Concat(Enumerable.Range(0, GuestFeatures).Select(j => $"bank_x{j}"));

    private IEnumerable<string> HostHeader() => new[] { "id" }.Concat(Enumerable.Range(0, HostFeatures).Select(j => $"tel_x{j}"));

    private IEnumerable<string> GuestCells(Customer c, double[] trueWeights, Random random)
    {
        double score = -0.5;
        for (int j = 0; j < trueWeights.Length; j++)
            score += trueWeights[j] * (c.Features[j] - j % 5) / (1 + j % 3);
        int label = random.NextDouble() < 1 / (1 + Math.Exp(-score)) ? 1 : 0;
        return new[] { c.Id, label.ToString(CultureInfo.InvariantCulture) }
            .Concat(c.Features.Take(GuestFeatures).Select(Format));
    }

    private IEnumerable<string> HostCells(Customer c, int offset) =>
        new[] { c.Id }.Concat(c.Features.Skip(offset).Take(HostFeatures).Select(Format));

    private static void WriteCsv(string path, IEnumerable<int> rows, Customer[] customers, IEnumerable<string> header,
        Func<Customer, IEnumerable<string>> cells)
    {
        AtomicFile.WriteText(path, writer =>
        {
            writer.WriteLine(string.Join(',', header));
            foreach (int row in rows)
                writer.WriteLine(string.Join(',', cells(customers[row])));
        });
    }

    private static IEnumerable<int> Range(int start, int count) => Enumerable.Range(start, Math.Max(0, count));

    private static int[] Shuffle(Random random, int[] rows)
    {
        random.Shuffle(rows);   // file order must not reveal who is shared
        return rows;
    }

    private static string Format(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed record Customer(string Id, double[] Features);
}

internal sealed record SyntheticFiles(string GuestPath, IReadOnlyList<string> HostPaths, int SharedCustomers);
