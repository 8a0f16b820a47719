using System.Text.Json;
using Grpc.Health.V1;
using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;
using VerticalFL.Transport.Client;
using VerticalFL.Transport.Security;
using VerticalFL.Transport.Tests.Infrastructure;

namespace VerticalFL.Transport.Tests;

/// <summary>
/// Interop with a gRPC implementation we did not write (@grpc/grpc-js on node), both directions,
/// TLS 1.3 with client certificates, using our protos/.
/// </summary>
public sealed class InteropTests
{
    [Fact]
    public async Task GrpcJsClient_CallsOurServer_HealthCheckAndDeliverStreamOverMutualTls()
    {
        await using var host = await TestParty.StartAsync("host");

        string output = await Node.RunAsync("client.js", "--address", $"127.0.0.1:{host.Server.GrpcAddress.Port}",
            "--keys", TestKeys.Federation, "--party", "guest", "--job", JobTable.Job, "--count", "3");

        using var result = JsonDocument.Parse(output);
        Assert.Equal("SERVING", result.RootElement.GetProperty("health").GetString());
        Assert.Equal(["node-0", "node-1", "node-2"], result.RootElement.GetProperty("acks").EnumerateArray().Select(a => a.GetString()));
        for (int i = 0; i < 3; i++)
        {
            // Queued under the certificate's party ("guest"), not the envelope's claimed sender.
            var message = await host.Mailbox.ReceiveAsync<JobStatusRequest>(JobTable.Job, "guest", Step.None, Await.Token()).Within();
            Assert.Equal($"node-{i}", message.JobId);
        }
    }

    [Fact]
    public async Task OurClient_CallsGrpcJsServer_UnaryServerStreamingAndBidiOverMutualTls()
    {
        using var node = Node.Start("server.js", "--keys", TestKeys.Federation, "--party", "host");
        try
        {
            string? line = await node.StandardOutput.ReadLineAsync().WaitAsync(Await.Limit);
            if (line is null || !line.StartsWith("LISTENING ", StringComparison.Ordinal))
                Assert.Fail($"grpc-js server did not start: {line} {await node.StandardError.ReadToEndAsync().WaitAsync(Await.Limit)}");
            using var client = Client(int.Parse(line![10..]));

            var health = await client.Health("host").CheckAsync(new HealthCheckRequest()).ResponseAsync.Within();
            var envelope = new Envelope { MessageId = "dotnet-unary", JobId = JobTable.Job, PayloadType = "vfl.v1.JobStatusRequest", Epoch = -1, Batch = -1 };
            var ack = await client.DeliverAsync("host", envelope).Within();
            var statuses = await WatchAsync(client);
            var acks = await DeliverStreamAsync(client, 5);

            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
            Assert.Equal("dotnet-unary", ack.MessageId);
            Assert.Equal([1 / 3.0, 2 / 3.0, 1.0], statuses.Select(s => s.Progress));
            Assert.All(statuses, s => Assert.Equal("peer=guest", s.Message));
            Assert.Equal(Enumerable.Range(0, 5).Select(i => $"dotnet-{i}"), acks);
        }
        finally
        {
            node.StandardInput.Close();
            if (!node.WaitForExit(5000))
                node.Kill(entireProcessTree: true);
        }
    }

    private static FederationClient Client(int port)
    {
        var keys = TestKeys.Of("guest");
        return new FederationClient(new FederationClientOptions
        {
            PartyId = "guest",
            Peers = new Dictionary<string, Uri> { ["host"] = new($"https://127.0.0.1:{port}") },
            CertificatePath = keys.CertificatePath,
            KeyPath = keys.KeyPath,
            CaPath = keys.CaPath,
            MaxAttempts = 1,
        });
    }

    private static async Task<List<JobStatusReply>> WatchAsync(FederationClient client)
    {
        using var call = client.JobControl("host").WatchJob(new JobStatusRequest { JobId = JobTable.Job });
        var statuses = new List<JobStatusReply>();
        while (await call.ResponseStream.MoveNext(Await.Token()).Within())
            statuses.Add(call.ResponseStream.Current);
        return statuses;
    }

    private static async Task<List<string>> DeliverStreamAsync(FederationClient client, int count)
    {
        using var call = client.Mailbox("host").DeliverStream();
        var acks = new List<string>();
        for (int i = 0; i < count; i++)
        {
            await call.RequestStream.WriteAsync(new Envelope { MessageId = $"dotnet-{i}", JobId = JobTable.Job, PayloadType = "x" }).Within();
            Assert.True(await call.ResponseStream.MoveNext(Await.Token()).Within());
            acks.Add(call.ResponseStream.Current.MessageId);
        }
        await call.RequestStream.CompleteAsync().Within();
        Assert.False(await call.ResponseStream.MoveNext(Await.Token()).Within());
        return acks;
    }
}
