using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using VerticalFL.Cli.Local;
using VerticalFL.Contracts.V1;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Online prediction (issue 15) against real party processes over mTLS: a model from a real training job is deployed,
/// single ids and batches are scored through the Operator API and the HTTPS JSON endpoint and checked against batch
/// `vfl predict` on the same ids, a new version is swapped in under load with no failed request, the host is restarted
/// (requests fail naming it while it is down, succeed once it is back) and its rate limit refuses a guest over it.
/// </summary>
public sealed class ServingTests
{
    private const string ApiKey = "test-only-serving-key-0123456789";
    // Generous per-request deadline: the CI machine is loaded; the 100 ms default is measured by `vfl bench serving`.
    private const int Deadline = 10_000;

    [Fact]
    public async Task Serving_DeployScoreSwapRestartAndLimit_AnswersMatchBatchPredictionAndFailuresNameTheHost()
    {
        int httpsPort = FreePort();
        using var federation = await RunningFederation.StartAsync(rows: 300, beforeStart: f =>
        {
            File.WriteAllText(Path.Combine(f.Directory, "api.key"), ApiKey + "\n");
            File.AppendAllText(f.GuestConfig, $"serving:\n  listen_https: \"127.0.0.1:{httpsPort}\"\n  api_key_file: api.key\n");
            File.AppendAllText(f.ConfigPath("telecom"), "policy:\n  serving_ids_per_second: 100000\n  serving_burst: 100000\n");
        });
        var op = federation.Operator.Operator;
        string v1 = await TrainAsync(federation);
        string v2 = await TrainAsync(federation);

        // Deploy; batch prediction on the same model gives the reference probabilities (every bit, see PredictionFile).
        var deployed = await op.DeployAsync(new DeployRequest { Name = "credit-risk", ModelJobId = v1 });
        Assert.Equal(new[] { "telecom" }, deployed.Deployment.Hosts.ToArray());
        var batch = await op.PredictAsync(new PredictRequest { ModelJobId = v1, OutputPath = Path.Combine(federation.Directory, "batch.csv") });
        var reference = File.ReadLines(batch.OutputPath).Skip(1).Select(l => l.Split(','))
            .ToDictionary(c => c[0], c => double.Parse(c[1], CultureInfo.InvariantCulture));
        var ids = reference.Keys.Take(20).ToList();

        var single = await PredictAsync(op, "credit-risk", [ids[0]]);
        Assert.Equal(v1, single.ModelJobId);
        Assert.Equal(reference[ids[0]], single.Scores[0].Probability, 1e-9);
        var many = await PredictAsync(op, "credit-risk", ids);
        for (int i = 0; i < ids.Count; i++)
            Assert.Equal(reference[ids[i]], many.Scores[i].Probability, 1e-9);

        // The same through HTTPS JSON, plus an id only the guest holds and one nobody holds.
        string guestOnlyId = GuestIds(federation).First(id => !reference.ContainsKey(id));
        using var http = Https(federation);
        var json = await PostAsync(http, httpsPort, "credit-risk", [ids[0], ids[1], guestOnlyId, "nobody"]);
        var predictions = json.GetProperty("predictions");
        Assert.Equal(reference[ids[0]], predictions[0].GetProperty("probability").GetDouble(), 1e-9);
        Assert.Equal(reference[ids[1]], predictions[1].GetProperty("probability").GetDouble(), 1e-9);
        Assert.Equal("unknown at telecom", predictions[2].GetProperty("error").GetString());
        Assert.Equal("unknown at the guest", predictions[3].GetProperty("error").GetString());
        using (var unauthorised = new HttpRequestMessage(HttpMethod.Post, $"https://127.0.0.1:{httpsPort}/v1/models/credit-risk:predict")
               { Content = new StringContent("{\"ids\":[\"x\"]}") })
        {
            unauthorised.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-key-0123456789");
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(unauthorised)).StatusCode);
        }

        // Guest features in the request replace its file's row for that id.
        var guestRow = GuestRow(federation, ids[0]);
        var withFeatures = new OnlinePredictRequest { Name = "credit-risk", Ids = { ids[0] }, DeadlineMs = Deadline };
        withFeatures.Features[ids[0]] = new GuestFeatures { Values = { guestRow } };
        Assert.Equal(reference[ids[0]], (await op.PredictOnlineAsync(withFeatures)).Scores[0].Probability, 1e-9);

        // Audit: every request is at the host, ids only as keyed hashes.
        string audit = File.ReadAllText(Path.Combine(federation.Directory, "telecom", "serving", "audit.jsonl"));
        byte[] auditKey = File.ReadAllBytes(Path.Combine(federation.Directory, "telecom", "serving", "audit.key"));
        Assert.DoesNotContain(ids[0], audit);
        Assert.Contains(Convert.ToHexStringLower(HMACSHA256.HashData(auditKey, Encoding.UTF8.GetBytes(ids[0])).AsSpan(0, 16)), audit);
        Assert.DoesNotContain(ids[0], File.ReadAllText(federation.Federation.Process("telecom").LogPath));

        // Swap to v2 under load: every request answered, by v1 then v2.
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(k => LoadAsync(op, ids[k], stop.Token)).ToArray();
        var swapped = await op.DeployAsync(new DeployRequest { Name = "credit-risk", ModelJobId = v2 });
        Assert.Equal(v1, swapped.PreviousModelJobId);
        var after = await PredictAsync(op, "credit-risk", [ids[0]]);
        await stop.CancelAsync();
        var served = (await Task.WhenAll(load)).SelectMany(v => v).ToList();
        Assert.Equal(v2, after.ModelJobId);
        Assert.Contains(v1, served);
        Assert.All(served, v => Assert.True(v == v1 || v == v2, v));

        // Host down: requests fail at once naming it; back with a tight limit: they succeed, and the limit refuses.
        var host = federation.Federation.Process("telecom");
        host.Stop(TimeSpan.FromSeconds(20));
        var down = await Assert.ThrowsAsync<RpcException>(() => PredictAsync(op, "credit-risk", [ids[0]]));
        Assert.Equal(StatusCode.Unavailable, down.StatusCode);
        Assert.StartsWith("telecom is not answering: telecom at 127.0.0.1:", down.Status.Detail);
        string config = federation.Federation.ConfigPath("telecom");
        File.WriteAllText(config, File.ReadAllText(config).Replace("serving_ids_per_second: 100000", "serving_ids_per_second: 0.01")
            .Replace("serving_burst: 100000", "serving_burst: 5"));
        using var restarted = PartyProcess.Start("telecom", config, Path.Combine(federation.Directory, "telecom-restarted.log"));
        await LocalFederation.WaitHealthyAsync(config, restarted, DateTime.UtcNow.AddSeconds(150), CancellationToken.None);
        var back = await PredictAsync(op, "credit-risk", [ids[0], ids[1]]);
        Assert.Equal(v2, back.ModelJobId);
        Assert.All(back.Scores, s => Assert.Equal("", s.Error));
        var limited = await Assert.ThrowsAsync<RpcException>(() => PredictAsync(op, "credit-risk", ids.Take(4).ToList()));
        Assert.Equal(StatusCode.ResourceExhausted, limited.StatusCode);
        Assert.StartsWith("telecom refused: rate limit: guest 'bank' asked for 4 ids with 3 left of policy.serving_ids_per_second 0.01 (burst 5)",
            limited.Status.Detail);
        var overHttp = await http.PostAsync($"https://127.0.0.1:{httpsPort}/v1/models/credit-risk:predict", Body(ids.Take(4)));
        Assert.Equal(HttpStatusCode.TooManyRequests, overHttp.StatusCode);

        await op.UndeployAsync(new UndeployRequest { Name = "credit-risk" });
        Assert.Empty((await op.ListDeploymentsAsync(new ListDeploymentsRequest())).Deployments);
    }

    private static async Task<string> TrainAsync(RunningFederation federation)
    {
        string job = await federation.SubmitAsync(RunningFederation.JobYaml("  epochs: 2\n  batch_size: 64"));
        var report = await federation.WaitAsync(job);
        Assert.True(report.Summary.State == "succeeded", $"{report.Summary.State}: {report.Summary.Reason}");
        return job;
    }

    private static async Task<OnlinePredictReply> PredictAsync(Operator.OperatorClient op, string name, IReadOnlyList<string> ids) =>
        await op.PredictOnlineAsync(new OnlinePredictRequest { Name = name, Ids = { ids }, DeadlineMs = Deadline },
            deadline: DateTime.UtcNow.AddSeconds(60));

    /// <summary>Scores one id in a loop until stopped; returns the version that answered each request (a failure throws).</summary>
    private static async Task<List<string>> LoadAsync(Operator.OperatorClient op, string id, CancellationToken stop)
    {
        var versions = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            var reply = await PredictAsync(op, "credit-risk", [id]);
            Assert.Equal("", reply.Scores[0].Error);
            versions.Add(reply.ModelJobId);
        }
        return versions;
    }

    private static IEnumerable<string> GuestIds(RunningFederation federation) =>
        File.ReadLines(federation.Files.GuestPath).Skip(1).Select(l => l.Split(',')[0]);

    /// <summary>The guest's features of one id, by column name (id and label left out).</summary>
    private static Dictionary<string, double> GuestRow(RunningFederation federation, string id)
    {
        var lines = File.ReadLines(federation.Files.GuestPath).ToList();
        var header = lines[0].Split(',');
        var cells = lines.Skip(1).Select(l => l.Split(',')).First(c => c[0] == id);
        return Enumerable.Range(0, header.Length).Where(c => header[c] is not ("id" or "y"))
            .ToDictionary(c => header[c], c => double.Parse(cells[c], CultureInfo.InvariantCulture));
    }

    private static HttpClient Https(RunningFederation federation)
    {
        var ca = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(federation.Directory, "keys", "ca.crt"));
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, chain, _) =>
            {
                chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate!);
            },
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    private static StringContent Body(IEnumerable<string> ids) =>
        new(JsonSerializer.Serialize(new { ids, deadline_ms = Deadline }), Encoding.UTF8, "application/json");

    private static async Task<JsonElement> PostAsync(HttpClient http, int port, string name, IEnumerable<string> ids)
    {
        var response = await http.PostAsync($"https://127.0.0.1:{port}/v1/models/{name}:predict", Body(ids));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
