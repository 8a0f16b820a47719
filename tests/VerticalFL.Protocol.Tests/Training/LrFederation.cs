using Google.Protobuf;
using VerticalFL.Crypto.Paillier;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Preprocessing;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Models;
using VerticalFL.Protocol.Training;

namespace VerticalFL.Protocol.Tests.Training;

/// <summary>Synthetic vertical data and a one-process run of guest, hosts and arbiter over InMemoryFederation.</summary>
internal static class LrFederation
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>One 1024-bit test-only key for every test (generation is the slow part).</summary>
    public static PaillierPrivateKey Key => LazyKey.Value;
    private static readonly Lazy<PaillierPrivateKey> LazyKey = new(PaillierPrivateKey.GenerateTestOnly1024);

    /// <summary>
    /// Rows drawn from a known logistic model over all columns, split into a labelled guest table and
    /// one table per host. Features are on different scales so the per-party scalers matter.
    /// </summary>
    public static (Dataset Guest, Dataset[] Hosts) Data(int rows, int guestColumns, int[] hostColumns, long seed = 11)
    {
        var random = new DeterministicRandom(seed);
        int total = guestColumns + hostColumns.Sum();
        var x = new double[rows * total];
        var labels = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double score = 0.3;
            for (int c = 0; c < total; c++)
            {
                double value = (random.NextDouble() * 2 - 1) * (1 + c % 3) + c;
                x[r * total + c] = value;
                score += (c % 2 == 0 ? 1.5 : -1.0) * (value - c) / (1 + c % 3);
            }
            labels[r] = random.NextDouble() < TaylorLogistic.Sigmoid(score) ? 1 : 0;
        }
        var ids = Enumerable.Range(0, rows).Select(r => $"id{r:D5}").ToArray();
        var guest = Slice(ids, x, total, 0, guestColumns, "g", labels);
        int offset = guestColumns;
        var hosts = hostColumns.Select((h, k) =>
        {
            var part = Slice(ids, x, total, offset, h, $"h{k}", null);
            offset += h;
            return part;
        }).ToArray();
        return (guest, hosts);
    }

    private static Dataset Slice(string[] ids, double[] x, int total, int from, int count, string prefix, double[]? labels)
    {
        var values = new double[ids.Length * count];
        for (int r = 0; r < ids.Length; r++)
            Array.Copy(x, r * total + from, values, r * count, count);
        return new Dataset(ids, Enumerable.Range(0, count).Select(c => $"{prefix}x{c}").ToArray(), values, labels);
    }

    /// <summary>The centralised reference on the same data, each party standardised on its own.</summary>
    public static ReferenceResult Reference(Dataset guest, Dataset[] hosts, HeteroLrParameters parameters)
    {
        var scaled = new[] { guest }.Concat(hosts)
            .Select(d => d.WithValues(StandardScaler.Fit(d.Values, d.Columns).Transform(d.Values))).ToArray();
        var joined = Dataset.JoinColumns(scaled);
        return ReferenceTrainer.Train(joined.Values, guest.Labels!, scaled.Select(d => d.Columns).ToArray(), parameters);
    }

    public sealed record Outcome(GuestModelPart Guest, HostModelPart[] Hosts, ArbiterTrainer Arbiter,
        IReadOnlyDictionary<string, RecordingObserver> Observers, List<IMessage> ToArbiter)
    {
        public RecordingObserver GuestObserver => Observers["guest"];

        /// <summary>Every party's state after its last epoch.</summary>
        public Dictionary<string, PartyCheckpoint> Checkpoints => Observers.ToDictionary(o => o.Key, o => o.Value.Epochs[^1].Checkpoint);
    }

    /// <summary>Lets the data parties accept <see cref="Key"/>, which is below every real key_bits.</summary>
    public static HeteroLrParameters ForTestKey(this HeteroLrParameters parameters) =>
        parameters with { AcceptedKeyBits = Key.PublicKey.ModulusBits };

    /// <summary>Hosts of test data (a few hundred rows) opt out of the batch floor explicitly, as a host operator would.</summary>
    public static readonly HostTrainingPolicy SmallDataHost = new() { AllowSmallBatches = true };

    /// <summary>
    /// The guest's start as the plaintext reference draws it (init and seed), so runs can be compared with it.
    /// Test-only: a real guest draws its start from its CSPRNG.
    /// </summary>
    public static Func<int, double[]> SeededGuestStart(HeteroLrParameters parameters) =>
        columns => Ml.Optimization.WeightInit.Create(parameters.Init, columns, parameters.Seed, partyIndex: 0);

    public static FederationRoles Roles(int hosts) => new("guest", Enumerable.Range(0, hosts).Select(k => $"host{k}").ToArray(), "arbiter");

    /// <summary>
    /// Runs all roles to the end; every await is bounded by <see cref="Timeout"/>. The guest starts from the seeded
    /// weights the reference uses unless <paramref name="secretGuestStart"/>; hosts follow <paramref name="hostPolicy"/>
    /// (default: <see cref="SmallDataHost"/>); <paramref name="hostGradientTap"/> sees the first host's unmasked gradients.
    /// </summary>
    public static async Task<Outcome> RunAsync(HeteroLrParameters parameters, Dataset guest, Dataset[] hosts,
        Dataset? guestValidation = null, Dataset[]? hostValidation = null,
        IReadOnlyDictionary<string, PartyCheckpoint>? resume = null, bool secretGuestStart = false,
        HostTrainingPolicy? hostPolicy = null, Action<Step, System.Numerics.BigInteger[]>? hostGradientTap = null)
    {
        parameters = parameters.ForTestKey();
        var roles = Roles(hosts.Length);
        var observers = roles.DataParties.Append(roles.Arbiter).ToDictionary(p => p, _ => new RecordingObserver());
        var federation = new InMemoryFederation(roles.DataParties.Append(roles.Arbiter), TimeSpan.FromSeconds(60));
        using var cancel = new CancellationTokenSource(Timeout);
        var toArbiter = new List<IMessage>();
        var guestChannel = new SpyChannel(federation.Channel(roles.Guest, "job"), roles.Arbiter, toArbiter);
        var arbiter = new ArbiterTrainer(federation.Channel(roles.Arbiter, "job"), roles, parameters, resume?.GetValueOrDefault("arbiter"), observers["arbiter"], Key);
        var guestTask = new GuestTrainer(guestChannel, roles, parameters, guest, guestValidation, resume?.GetValueOrDefault("guest"), observers["guest"])
            { TestOnlyInitialWeights = secretGuestStart ? null : SeededGuestStart(parameters) }
            .TrainAsync(cancel.Token);
        var hostTasks = hosts.Select((h, k) => new HostTrainer(federation.Channel(roles.Hosts[k], "job"), roles, parameters, h,
            hostValidation?[k], resume?.GetValueOrDefault(roles.Hosts[k]), observers[roles.Hosts[k]], hostPolicy ?? SmallDataHost)
            { GradientTap = k == 0 ? hostGradientTap : null }.TrainAsync(cancel.Token)).ToArray();
        var arbiterTask = arbiter.TrainAsync(cancel.Token);
        await Task.WhenAll(new Task[] { guestTask, arbiterTask }.Concat(hostTasks)).WaitAsync(Timeout);
        return new Outcome(await guestTask, await Task.WhenAll(hostTasks), arbiter, observers, toArbiter);
    }
}

/// <summary>Keeps every report.</summary>
internal sealed class RecordingObserver : ITrainingObserver
{
    public List<EpochReport> Epochs { get; } = [];
    public List<BatchReport> Batches { get; } = [];
    public TrainingSummary? Summary { get; private set; }

    public void BatchCompleted(BatchReport report) => Batches.Add(report);
    public void EpochCompleted(EpochReport report) => Epochs.Add(report);
    public void Finished(TrainingSummary summary) => Summary = summary;
}

/// <summary>Passes messages through and records what its party sends to one recipient.</summary>
internal sealed class SpyChannel(IPartyChannel inner, string watched, List<IMessage> sent) : IPartyChannel
{
    public string Self => inner.Self;
    public string JobId => inner.JobId;

    public Task SendAsync<T>(string to, T message, Step step, CancellationToken cancellationToken = default) where T : IMessage<T>
    {
        if (to == watched)
            lock (sent)
                sent.Add(message.Clone());
        return inner.SendAsync(to, message, step, cancellationToken);
    }

    public Task<T> ReceiveAsync<T>(string from, Step step, CancellationToken cancellationToken = default) where T : IMessage<T>, new() =>
        inner.ReceiveAsync<T>(from, step, cancellationToken);
}
