using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using VerticalFL.Protocol.Channels;
using VerticalFL.Transport.Client;
using VerticalFL.Transport.Security;
using VerticalFL.Transport.Server;

namespace VerticalFL.Cli.Commands;

/// <summary>
/// <c>vfl bench transport</c>: MiB/s of 1 MiB batches from a guest to a host in another process on
/// loopback, through GrpcPartyChannel (mTLS gRPC, into the host's mailbox), next to raw HTTP/2
/// POSTs of the same bytes over the same TLS 1.3 mutual authentication, in the same run. The host
/// is this executable re-launched with the hidden <c>vfl bench transport-server</c>.
/// </summary>
internal static class BenchTransportCommand
{
    private const string Job = "bench";

    public static IEnumerable<Command> Create()
    {
        var mib = new Option<int>("--mib") { Description = "MiB sent per measurement", DefaultValueFactory = _ => 256 };
        var batchKib = new Option<int>("--batch-kib") { Description = "Batch (message) size in KiB", DefaultValueFactory = _ => 1024 };
        var rounds = new Option<int>("--rounds") { Description = "Measurements per figure (the median is reported)", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON" };
        var bench = new Command("transport", "Benchmark mTLS gRPC throughput against raw HTTP/2 between two processes on loopback") { mib, batchKib, rounds, json };
        bench.SetAction(async (parse, ct) =>
        {
            var settings = new Settings(parse.GetValue(mib), parse.GetValue(batchKib) * 1024, parse.GetValue(rounds));
            if (settings.TotalMiB < 1 || settings.BatchBytes < 1024 || settings.Rounds < 1)
                throw new ArgumentException("--mib and --rounds must be positive and --batch-kib at least 1.");
            var figures = await RunAsync(settings, ct);
            Console.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(figures) : Describe(figures));
            return ExitCodes.Success;
        });

        var keys = new Option<string>("--keys") { Required = true };
        var server = new Command("transport-server", "The receiving side of 'bench transport' (started by it)") { keys };
        server.Hidden = true;
        server.SetAction((parse, ct) => ServeAsync(parse.GetValue(keys)!, ct));
        return [bench, server];
    }

    private sealed record Settings(int TotalMiB, int BatchBytes, int Rounds)
    {
        public int Batches => (int)Math.Max(1, (long)TotalMiB * 1024 * 1024 / BatchBytes);
    }

    private static async Task<Dictionary<string, object>> RunAsync(Settings settings, CancellationToken ct)
    {
        string keysDir = Path.Combine(Path.GetTempPath(), $"vfl-bench-transport-{Environment.ProcessId}");
        FederationKeys.Create(keysDir, ["guest", "host"], TimeSpan.FromDays(1), overwrite: true);
        using var server = StartServerProcess(keysDir);
        try
        {
            var ports = (await server.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(60), ct))?.Split(' ');
            if (ports is not ["READY", var grpcPort, var rawPort])
                throw new JobFailedException($"the bench server did not start: {await server.StandardError.ReadToEndAsync(ct)}");
            var figures = new Dictionary<string, object>
            {
                ["batch_bytes"] = settings.BatchBytes,
                ["batches_per_measurement"] = settings.Batches,
                ["rounds"] = settings.Rounds,
                ["cores"] = Environment.ProcessorCount,
            };
            using var grpc = GrpcSender(keysDir, int.Parse(grpcPort));
            using var raw = RawSender(keysDir, int.Parse(rawPort));
            foreach (int concurrency in new[] { 1, 4 })
            {
                using var stream = new GrpcStreamSender(GrpcClient(keysDir, int.Parse(grpcPort)));
                var grpcRate = await Measure(settings, concurrency, grpc, server, ct);
                var streamRate = await Measure(settings, concurrency, stream, server, ct);
                var rawRate = await Measure(settings, concurrency, raw, server, ct);
                figures[$"grpc_stream_mib_per_s_c{concurrency}"] = Math.Round(streamRate.MiBPerSecond, 1);
                figures[$"grpc_stream_mib_per_cpu_s_c{concurrency}"] = Math.Round(streamRate.MiBPerCpuSecond, 1);
                figures[$"grpc_mib_per_s_c{concurrency}"] = Math.Round(grpcRate.MiBPerSecond, 1);
                figures[$"raw_http2_mib_per_s_c{concurrency}"] = Math.Round(rawRate.MiBPerSecond, 1);
                figures[$"grpc_vs_raw_c{concurrency}"] = Math.Round(grpcRate.MiBPerSecond / rawRate.MiBPerSecond, 3);
                figures[$"grpc_mib_per_cpu_s_c{concurrency}"] = Math.Round(grpcRate.MiBPerCpuSecond, 1);
                figures[$"raw_http2_mib_per_cpu_s_c{concurrency}"] = Math.Round(rawRate.MiBPerCpuSecond, 1);
            }
            return figures;
        }
        finally
        {
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000))
                server.Kill(entireProcessTree: true);
            Directory.Delete(keysDir, recursive: true);
        }
    }

    /// <summary>Wall-clock MiB/s, and MiB per CPU-second of both processes (which other load on the machine distorts less).</summary>
    private readonly record struct Rate(double MiBPerSecond, double MiBPerCpuSecond);

    /// <summary>Medians over the rounds, after a warm-up (connections, JIT, flow-control windows).</summary>
    private static async Task<Rate> Measure(Settings settings, int concurrency, ISender sender, Process server, CancellationToken ct)
    {
        var batch = RandomNumberGenerator.GetBytes(settings.BatchBytes);
        await SendAsync(sender, batch, Math.Max(8, concurrency * 2), concurrency, ct);
        double mib = (double)settings.Batches * settings.BatchBytes / (1024 * 1024);
        var wall = new List<double>();
        var cpu = new List<double>();
        for (int round = 0; round < settings.Rounds; round++)
        {
            var cpuBefore = CpuSeconds(server);
            var stopwatch = Stopwatch.StartNew();
            await SendAsync(sender, batch, settings.Batches, concurrency, ct);
            wall.Add(mib / stopwatch.Elapsed.TotalSeconds);
            cpu.Add(mib / (CpuSeconds(server) - cpuBefore));
        }
        return new Rate(Median(wall), Median(cpu));
    }

    private static double CpuSeconds(Process server)
    {
        server.Refresh();
        return Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds + server.TotalProcessorTime.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static Task SendAsync(ISender sender, byte[] batch, int count, int concurrency, CancellationToken ct)
    {
        int next = -1;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
                await sender.SendAsync(batch, ct);
        }, ct)));
    }

    private static string Describe(Dictionary<string, object> f) =>
        $"""
        transport throughput: {f["batches_per_measurement"]} batches of {f["batch_bytes"]} bytes per measurement, median of {f["rounds"]}, {f["cores"]} cores
          in flight   mTLS gRPC unary (GrpcPartyChannel)   mTLS gRPC DeliverStream          raw HTTP/2 POST (same mTLS)      unary / raw
          1           {Cell(f, "grpc", 1)}   {Cell(f, "grpc_stream", 1)}   {Cell(f, "raw_http2", 1)}   {f["grpc_vs_raw_c1"]}
          4           {Cell(f, "grpc", 4)}   {Cell(f, "grpc_stream", 4)}   {Cell(f, "raw_http2", 4)}   {f["grpc_vs_raw_c4"]}
        """;

    private static string Cell(Dictionary<string, object> f, string name, int concurrency) =>
        $"{f[$"{name}_mib_per_s_c{concurrency}"],7} MiB/s ({f[$"{name}_mib_per_cpu_s_c{concurrency}"],6} MiB/CPU-s)";

    private interface ISender : IDisposable
    {
        Task SendAsync(byte[] batch, CancellationToken ct);
    }

    /// <summary>The real path: a protobuf message through GrpcPartyChannel into the host's PartyMailbox.</summary>
    private sealed class GrpcChannelSender(FederationClient client) : ISender
    {
        private readonly IPartyChannel _channel = client.OpenChannel(Job, new PartyMailbox(TimeSpan.FromSeconds(1)));

        public Task SendAsync(byte[] batch, CancellationToken ct) =>
            _channel.SendAsync("host", new BytesValue { Value = UnsafeByteOperations.UnsafeWrap(batch) }, ct);

        public void Dispose() => client.Dispose();
    }

    /// <summary>
    /// The same envelopes over Mailbox/DeliverStream: one long-lived bidi stream per sender in flight,
    /// each envelope waiting for its ack, so the per-call cost is paid once per stream.
    /// </summary>
    private sealed class GrpcStreamSender(FederationClient client) : ISender
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<AsyncDuplexStreamingCall<VerticalFL.Contracts.V1.Envelope, VerticalFL.Contracts.V1.DeliveryAck>> _idle = [];
        private readonly List<AsyncDuplexStreamingCall<VerticalFL.Contracts.V1.Envelope, VerticalFL.Contracts.V1.DeliveryAck>> _all = [];

        public async Task SendAsync(byte[] batch, CancellationToken ct)
        {
            if (!_idle.TryTake(out var call))
                lock (_all)
                    _all.Add(call = client.Mailbox("host").DeliverStream(deadline: DateTime.UtcNow.AddHours(1), cancellationToken: ct));
            await call.RequestStream.WriteAsync(new VerticalFL.Contracts.V1.Envelope
            {
                MessageId = Guid.NewGuid().ToString("N"), JobId = Job, PayloadType = BytesValue.Descriptor.FullName, Epoch = -1, Batch = -1,
                Payload = new BytesValue { Value = UnsafeByteOperations.UnsafeWrap(batch) }.ToByteString(),
            }, ct);
            if (!await call.ResponseStream.MoveNext(ct))
                throw new JobFailedException("the bench server closed a delivery stream.");
            _idle.Add(call);
        }

        public void Dispose()
        {
            foreach (var call in _all)
                call.Dispose();
            client.Dispose();
        }
    }

    /// <summary>The baseline: the same bytes as an HTTP/2 POST body over the same mutual TLS 1.3.</summary>
    private sealed class RawHttp2Sender(HttpClient http, Uri sink) : ISender
    {
        public async Task SendAsync(byte[] batch, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, sink)
            {
                Content = new ByteArrayContent(batch),
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
        }

        public void Dispose() => http.Dispose();
    }

    private static GrpcChannelSender GrpcSender(string keysDir, int port) => new(GrpcClient(keysDir, port));

    private static FederationClient GrpcClient(string keysDir, int port)
    {
        var files = FederationKeys.For(keysDir, "guest");
        return new FederationClient(new FederationClientOptions
        {
            PartyId = "guest",
            Peers = new Dictionary<string, Uri> { ["host"] = new($"https://127.0.0.1:{port}") },
            CertificatePath = files.CertificatePath,
            KeyPath = files.KeyPath,
            CaPath = files.CaPath,
        });
    }

    private static RawHttp2Sender RawSender(string keysDir, int port)
    {
        var files = FederationKeys.For(keysDir, "guest");
        var credentials = PartyCredentials.Load(files.CertificatePath, files.KeyPath, files.CaPath, "guest");
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            InitialHttp2StreamWindowSize = 8 * 1024 * 1024,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificateContext = SslStreamCertificateContext.Create(credentials.Certificate, null, offline: true),
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && credentials.Trust.CheckServer(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData())).PartyId == "host",
            },
        };
        return new RawHttp2Sender(new HttpClient(handler), new Uri($"https://127.0.0.1:{port}/sink"));
    }

    private static Process StartServerProcess(string keysDir)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find this executable to start the bench server.");
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            info.ArgumentList.Add(typeof(BenchTransportCommand).Assembly.Location);
        foreach (var arg in new[] { "bench", "transport-server", "--keys", keysDir })
            info.ArgumentList.Add(arg);
        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {self}.");
    }

    /// <summary>The host side: a party server whose mailbox is drained as fast as it fills, and a raw HTTP/2 sink.</summary>
    private static async Task<int> ServeAsync(string keysDir, CancellationToken ct)
    {
        var files = FederationKeys.For(keysDir, "host");
        var mailbox = new PartyMailbox(TimeSpan.FromDays(1));
        await using var party = PartyServer.Create(
            new PartyServerOptions { PartyId = "host", CertificatePath = files.CertificatePath, KeyPath = files.KeyPath, CaPath = files.CaPath, MetricsEndpoint = null },
            mailbox, new FederationAuthorizer(["guest"], new BenchMembership()),
            configureBuilder: b => b.Logging.ClearProviders());
        await party.StartAsync(ct);
        using var credentials = PartyCredentials.Load(files.CertificatePath, files.KeyPath, files.CaPath, "host");
        await using var raw = RawSink(credentials);
        await raw.StartAsync(ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var drain = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await mailbox.ReceiveAsync<BytesValue>(Job, "guest", Step.None, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var rawPort = new Uri(raw.Urls.First()).Port;
        Console.WriteLine($"READY {party.GrpcAddress.Port} {rawPort}");
        await Console.In.ReadToEndAsync(ct); // the parent closes stdin when it is done
        await stop.CancelAsync();
        await drain;
        await raw.StopAsync(CancellationToken.None);
        await party.StopAsync(CancellationToken.None);
        return ExitCodes.Success;
    }

    private static WebApplication RawSink(PartyCredentials credentials)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 16 * 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 8 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = credentials.Certificate,
                    SslProtocols = SslProtocols.Tls13,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    ClientCertificateValidation = (certificate, _, _) => credentials.Trust.CheckClient(certificate).IsValid,
                });
            });
        });
        var app = builder.Build();
        app.MapPost("/sink", async (HttpContext context) =>
        {
            var buffer = new byte[64 * 1024];
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }
            return Results.NoContent();
        });
        return app;
    }

    private sealed class BenchMembership : IJobMembership
    {
        public ValueTask<bool> IsParticipantAsync(string jobId, string partyId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(jobId == Job && partyId is "guest" or "host");
    }
}
