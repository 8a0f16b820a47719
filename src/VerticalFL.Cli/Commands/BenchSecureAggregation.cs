using System.Diagnostics;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using VerticalFL.Crypto.SecureAggregation;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Metrics;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl bench horizontal --secure-aggregation --clients 3,10,50</c>: for each client count, the same FedAvg job
/// (same split, seed and model, ~10,000 parameters by default) run plain and with secure aggregation in one process;
/// prints seconds and bytes per round of each, the overhead, the quantisation error (largest difference of the
/// round-1 models, which start equal) and both final AUCs. Then the primitives on the round's real sizes, libsodium
/// against BouncyCastle.
/// </summary>
internal static class BenchSecureAggregation
{
    public static async Task<Dictionary<string, object>> RunAsync(Dataset all, int[] clientCounts, HorizontalParameters baseParameters, string split,
        double alpha, TextWriter? progress, CancellationToken ct)
    {
        var rows = new List<Dictionary<string, object>>();
        int parameterCount = 0;
        foreach (int n in clientCounts)
        {
            if (n < 3)
                throw new ArgumentException($"--clients: secure aggregation needs at least 3 clients; got {n}.");
            var parts = BenchHorizontalCommand.Split(all, n, split, alpha);
            var plainParameters = baseParameters with { MinParticipants = n, Aggregation = new AggregationSettings { Method = AggregationMethod.FedAvg } };
            var secureParameters = plainParameters with { SecureAggregation = new SecureAggregationSettings { Enabled = true } };
            var plain = await RunOnceAsync(all, parts, plainParameters, ct);
            var secure = await RunOnceAsync(all, parts, secureParameters, ct);
            parameterCount = plain.Parameters;
            double quantisation = plain.FirstRound.Zip(secure.FirstRound).Max(p => Math.Abs(p.First - p.Second));
            var row = new Dictionary<string, object>
            {
                ["clients"] = n,
                ["neighbours"] = Math.Min(n - 1, 2 * (int)Math.Ceiling(Math.Log2(n))),
                ["plain_seconds_per_round"] = Math.Round(plain.SecondsPerRound, 3),
                ["secure_seconds_per_round"] = Math.Round(secure.SecondsPerRound, 3),
                ["time_overhead"] = Math.Round(secure.SecondsPerRound / plain.SecondsPerRound, 2),
                ["plain_kilobytes_per_round"] = Math.Round(plain.BytesPerRound / 1e3, 1),
                ["secure_kilobytes_per_round"] = Math.Round(secure.BytesPerRound / 1e3, 1),
                ["bytes_overhead"] = Math.Round(secure.BytesPerRound / plain.BytesPerRound, 2),
                ["max_round1_model_difference"] = quantisation,
                ["plain_final_auc"] = Math.Round(plain.FinalAuc, 5),
                ["secure_final_auc"] = Math.Round(secure.FinalAuc, 5),
                ["load_average"] = LoadAverage(),
            };
            rows.Add(row);
            progress?.WriteLine($"{n,3} clients (k = {row["neighbours"]}): plain {row["plain_seconds_per_round"]} s/round {row["plain_kilobytes_per_round"]} kB/round; " +
                $"secure {row["secure_seconds_per_round"]} s/round {row["secure_kilobytes_per_round"]} kB/round; overhead ×{row["time_overhead"]} time, " +
                $"×{row["bytes_overhead"]} bytes; round-1 model max |Δ| {quantisation:E2}; final AUC {row["plain_final_auc"]:F5} / {row["secure_final_auc"]:F5} " +
                $"(load {row["load_average"]})");
        }
        int k = Math.Min(clientCounts.Max() - 1, 2 * (int)Math.Ceiling(Math.Log2(clientCounts.Max())));
        var primitives = Primitives(parameterCount, k, progress);
        return new Dictionary<string, object>
        {
            ["parameters"] = parameterCount, ["rounds"] = baseParameters.Rounds, ["hidden"] = baseParameters.Hidden,
            ["fractional_bits"] = new SecureAggregationSettings().FractionalBits, ["cores"] = Environment.ProcessorCount,
            ["runs"] = rows, ["primitives"] = primitives,
        };
    }

    private sealed record Run(double SecondsPerRound, double BytesPerRound, double[] FirstRound, double FinalAuc, int Parameters);

    private static async Task<Run> RunOnceAsync(Dataset all, Dataset[] parts, HorizontalParameters parameters, CancellationToken ct)
    {
        var names = parts.Select((_, i) => $"client{i + 1}").ToArray();
        var identities = SecureAggregationIdentity.ForInProcess(names);
        var federation = new InMemoryFederation([.. names, "arbiter"], TimeSpan.FromMinutes(30));
        var log = new Log(federation);
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "bench"), names, parameters) { Observer = log }.RunAsync(ct);
        var clients = parts.Select((data, i) => new HorizontalClient(federation.Channel(names[i], "bench"), "arbiter", parameters, data)
        {
            SecureAggregationIdentity = identities[names[i]],
        }.RunAsync(ct)).ToArray();
        var result = await arbiter;
        await Task.WhenAll(clients);
        double auc = BinaryMetrics.Auc(result.Model.Predict(all).Select(p => p[1]).ToArray(), all.Labels!);
        return new Run(log.Seconds.Average(), log.Bytes.Average(), log.FirstRound!, auc, result.Model.Weights.Length);
    }

    private sealed class Log(InMemoryFederation federation) : IHorizontalObserver
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _bytes = federation.BytesSent;
        public List<double> Seconds { get; } = [];
        public List<long> Bytes { get; } = [];
        public double[]? FirstRound { get; private set; }

        public void OnRound(HorizontalRoundReport report)
        {
            Seconds.Add(_clock.Elapsed.TotalSeconds);
            long sent = federation.BytesSent;
            Bytes.Add(sent - _bytes);
            _bytes = sent;
            FirstRound ??= report.Weights;
            _clock.Restart();
        }
    }

    /// <summary>
    /// One client's round at the largest count: 2k + 2 X25519 operations (keys, k mask and k share agreements) and
    /// k + 1 ChaCha20 mask expansions of the vector (8 bytes a value), plus an Ed25519 signature and k verifications.
    /// </summary>
    private static Dictionary<string, object> Primitives(int parameters, int k, TextWriter? progress)
    {
        int words = parameters + 16;
        const int agreements = 2_000, signatures = 500;
        double sodiumX = Time(agreements, () =>
        {
            var a = X25519KeyPair.Generate();
            var peer = X25519KeyPair.Generate().PublicKey;
            return i => a.Agree(peer);
        });
        double bcX = Time(agreements, () =>
        {
            var random = new Org.BouncyCastle.Security.SecureRandom();
            var a = new X25519PrivateKeyParameters(random);
            var peer = new X25519PrivateKeyParameters(random).GeneratePublicKey();
            var output = new byte[32];
            return i =>
            {
                var agreement = new X25519Agreement();
                agreement.Init(a);
                agreement.CalculateAgreement(peer, output, 0);
            };
        });
        var seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var nonce = new byte[12];
        var buffer = new byte[words * 8];
        int expansions = Math.Max(50, 200_000_000 / buffer.Length);
        double sodiumPrg = Time(expansions, () => i => ChaCha20Prg.Keystream(seed, nonce, buffer));
        double bcPrg = Time(expansions, () =>
        {
            var zeros = new byte[buffer.Length];
            return i =>
            {
                var engine = new ChaCha7539Engine();
                engine.Init(true, new ParametersWithIV(new KeyParameter(seed), nonce));
                engine.ProcessBytes(zeros, 0, zeros.Length, buffer, 0);
            };
        });
        var message = new byte[96];
        double sodiumSig = Time(signatures, () =>
        {
            var signer = Ed25519Signer.Generate();
            return i => Ed25519Signer.Verify(signer.PublicKey, message, signer.Sign(message));
        });
        double bcSig = Time(signatures, () =>
        {
            var key = new Ed25519PrivateKeyParameters(new Org.BouncyCastle.Security.SecureRandom());
            var pub = key.GeneratePublicKey();
            return i =>
            {
                var s = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
                s.Init(true, key);
                s.BlockUpdate(message, 0, message.Length);
                var signature = s.GenerateSignature();
                var v = new Org.BouncyCastle.Crypto.Signers.Ed25519Signer();
                v.Init(false, pub);
                v.BlockUpdate(message, 0, message.Length);
                v.VerifySignature(signature);
            };
        });
        double Client(double x, double prg, double sig) => (2 * k + 2) * x + (k + 1) * prg + sig * (1 + k) / 2;
        var figures = new Dictionary<string, object>
        {
            ["x25519_microseconds"] = new Dictionary<string, double> { ["libsodium"] = Math.Round(sodiumX * 1e6, 1), ["bouncycastle"] = Math.Round(bcX * 1e6, 1) },
            ["chacha20_gigabytes_per_second"] = new Dictionary<string, double>
            {
                ["libsodium"] = Math.Round(buffer.Length / sodiumPrg / 1e9, 2), ["bouncycastle"] = Math.Round(buffer.Length / bcPrg / 1e9, 2),
            },
            ["ed25519_sign_and_verify_microseconds"] = new Dictionary<string, double> { ["libsodium"] = Math.Round(sodiumSig * 1e6, 1), ["bouncycastle"] = Math.Round(bcSig * 1e6, 1) },
            ["client_round_milliseconds"] = new Dictionary<string, double>
            {
                ["libsodium"] = Math.Round(Client(sodiumX, sodiumPrg, sodiumSig) * 1e3, 2), ["bouncycastle"] = Math.Round(Client(bcX, bcPrg, bcSig) * 1e3, 2),
            },
            ["neighbours"] = k, ["mask_bytes"] = buffer.Length, ["load_average"] = LoadAverage(),
        };
        progress?.WriteLine($"primitives (one client's round at k = {k}, {buffer.Length:N0}-byte masks; load {figures["load_average"]}):");
        progress?.WriteLine($"  X25519            libsodium {sodiumX * 1e6,8:F1} µs   BouncyCastle {bcX * 1e6,8:F1} µs");
        progress?.WriteLine($"  ChaCha20          libsodium {buffer.Length / sodiumPrg / 1e9,8:F2} GB/s BouncyCastle {buffer.Length / bcPrg / 1e9,8:F2} GB/s");
        progress?.WriteLine($"  Ed25519 sign+vrfy libsodium {sodiumSig * 1e6,8:F1} µs   BouncyCastle {bcSig * 1e6,8:F1} µs");
        progress?.WriteLine($"  client's round    libsodium {Client(sodiumX, sodiumPrg, sodiumSig) * 1e3,8:F2} ms   BouncyCastle {Client(bcX, bcPrg, bcSig) * 1e3,8:F2} ms");
        return figures;
    }

    /// <summary>Seconds per call of the operation <paramref name="setup"/> returns (after 10% warm-up calls).</summary>
    private static double Time(int calls, Func<Action<int>> setup)
    {
        var operation = setup();
        for (int i = 0; i < Math.Max(1, calls / 10); i++)
            operation(i);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++)
            operation(i);
        return clock.Elapsed.TotalSeconds / calls;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
