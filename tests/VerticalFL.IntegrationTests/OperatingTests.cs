using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Grpc.Core;
using VerticalFL.Cli.Operator;
using VerticalFL.Contracts.V1;
using VerticalFL.Party.Config;
using VerticalFL.Transport.Client;

namespace VerticalFL.IntegrationTests;

/// <summary>
/// Issue 14 drills against one running federation: what each party's operator sees with its own config, and that every
/// party ends each job in the same state with the same reason (<see cref="JobAgreement"/>): cancel, predict job end,
/// typo'd spec, port in use, swapped peers. The drills that take a party down are in <see cref="FailureDrillTests"/>.
/// </summary>
public sealed class OperatingTests(OperatingFixture fixture) : IClassFixture<OperatingFixture>
{
    private RunningFederation Federation => fixture.Federation;

    [Theory]
    [InlineData("telecom")]
    [InlineData("arbiter")]
    public async Task JobList_HostOrArbiterOwnConfig_ListsTheJobFromItsOwnStore(string party)
    {
        var (code, output, error) = await OperatingFixture.CliAsync("job", "list", "--config", Federation.Federation.ConfigPath(party));

        Assert.True(code == 0, $"exit {code}: {error}");
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith(fixture.SucceededJob, StringComparison.Ordinal));
        Assert.Contains("succeeded", line);
    }

    [Theory]
    [InlineData("bank")]
    [InlineData("telecom")]
    [InlineData("arbiter")]
    public async Task JobShow_EveryPartyOwnConfig_ReportsTheJobAsThatPartyStoredIt(string party)
    {
        using var connection = OperatorConnection.Open(Federation.Federation.ConfigPath(party), TimeSpan.FromSeconds(30));
        var report = await connection.Operator.GetAsync(new JobRef { JobId = fixture.SucceededJob });

        Assert.Equal("succeeded", report.Summary.State);
        Assert.Equal(1, report.Epochs);
        if (party != "arbiter")   // the arbiter holds no rows
            Assert.Equal(Federation.Files.SharedCustomers, report.Intersection);
    }

    [Fact]
    public async Task JobSubmit_HostConfig_IsRefusedSayingJobsGoToTheGuest()
    {
        string spec = Path.Combine(Federation.Directory, "host-submit.yaml");
        await File.WriteAllTextAsync(spec, RunningFederation.JobYaml("  epochs: 1"));

        var (code, _, error) = await OperatingFixture.CliAsync("job", "submit", "--config", Federation.Federation.ConfigPath("telecom"), spec);

        Assert.Equal(2, code);
        Assert.Contains("'telecom' is the federation's host: jobs are submitted at the guest", error);
    }

    [Theory]
    [InlineData("bank")]
    [InlineData("telecom")]
    [InlineData("arbiter")]
    public void PartyLog_AfterAJob_HasOneLinePerTransition(string party)
    {
        string log = File.ReadAllText(Federation.Federation.Process(party).LogPath);
        string id = fixture.SucceededJob;

        Assert.Contains($"Job {id} accepted", log);
        Assert.Contains($"Job {id} started", log);
        Assert.Contains($"Job {id}: psi -> training", log);
        Assert.Contains($"Job {id} succeeded", log);
    }

    [Fact]
    public async Task JobList_OtherPartysCertificate_IsRefused()
    {
        // The host's operator API answers only the host itself: the guest's certificate is refused.
        var guest = PartyConfig.Load(Federation.Federation.GuestConfig);
        using var client = new FederationClient(new FederationClientOptions
        {
            PartyId = guest.Party.Id,
            Peers = guest.Peers.ToDictionary(p => p.Id, p => new Uri(p.Address)),
            CertificatePath = guest.Tls?.Certificate,
            KeyPath = guest.Tls?.Key,
            CaPath = guest.Tls?.Ca,
        });
        var hostOperator = new Contracts.V1.Operator.OperatorClient(client.Invoker("telecom"));
        var error = await Assert.ThrowsAsync<RpcException>(() => hostOperator.ListAsync(new ListJobsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task JobSubmit_TypoInTrainingKey_ExitsTwoNamingFileLineColumnAndTheNearestKey()
    {
        string spec = Path.Combine(Federation.Directory, "typo.yaml");
        await File.WriteAllTextAsync(spec, RunningFederation.JobYaml("  learning_rat: 0.1"));
        var before = await JobsEverywhereAsync();

        var (code, _, error) = await OperatingFixture.CliAsync("job", "submit", "--config", Federation.Federation.GuestConfig, spec);

        Assert.Equal(2, code);
        Assert.Matches($@"^error: {System.Text.RegularExpressions.Regex.Escape(spec)}:\d+:\d+: training\.learning_rat: unknown parameter; did you mean 'learning_rate'\?", error);
        Assert.Equal(before, await JobsEverywhereAsync());   // refused before anything was stored, at any party
    }

    [Fact]
    public async Task JobCancel_RunningJob_EveryPartyStoresCancelledWithTheOperatorsReason()
    {
        string jobId = await Federation.SubmitAsync(RunningFederation.JobYaml("  epochs: 200\n  batch_size: -1\n  early_stop: weight_diff\n  tol: 0"));
        await WaitForEpochAsync(jobId, 1);

        var (code, output, error) = await OperatingFixture.CliAsync("job", "cancel", "--config", Federation.Federation.GuestConfig, jobId,
            "--reason", "wrong data");

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Equal($"{jobId}: cancelled", output.Trim());
        var ends = await JobAgreement.EndsAsync(Federation, jobId);
        JobAgreement.AssertSame(ends, "cancelled", "cancelled by the guest's operator: wrong data");
        Assert.Contains($"Job {jobId} cancelled: cancelled by the guest's operator: wrong data", File.ReadAllText(Federation.Federation.Process("arbiter").LogPath));
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(Federation.Directory, "bank"), "model*", SearchOption.AllDirectories),
            f => f.Contains(jobId, StringComparison.Ordinal));   // no partial model
    }

    [Fact]
    public async Task PredictJob_Ends_GuestAndHostSucceedAndTheArbiterNeverHadIt()
    {
        using var timeout = new CancellationTokenSource(RunningFederation.JobTimeout);
        var predicted = await Federation.Operator.Operator.PredictAsync(new PredictRequest { ModelJobId = fixture.SucceededJob },
            cancellationToken: timeout.Token);

        Assert.Equal(Federation.Files.SharedCustomers, predicted.Rows);
        var ends = await JobAgreement.EndsAsync(Federation, predicted.JobId);
        Assert.Equal("succeeded", ends["bank"].State);
        Assert.Equal("succeeded", ends["telecom"].State);
        Assert.Equal(JobAgreement.Absent, ends["arbiter"]);   // prediction decrypts nothing: the arbiter takes no part
    }

    [Fact]
    public async Task PartyStart_PortInUse_OneLineWithTheAddressAndExitTwo()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        int port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        string config = CopyConfig("telecom", "port", yaml => Regex.Replace(yaml, @"grpc: ""127\.0\.0\.1:\d+""", $"grpc: \"127.0.0.1:{port}\""));

        var (code, output, error) = await OperatingFixture.CliAsync("party", "--config", config);

        Assert.Equal(2, code);
        Assert.DoesNotContain("Unhandled exception", output + error);
        Assert.DoesNotMatch(@"\bat (System|Microsoft)\.", output + error);   // no stack trace, not even on one line
        Assert.Matches($@"^error: party 'telecom' could not start: \S*127\.0\.0\.1:{port} is already in use", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task PartyStart_MySqlUnreachable_OneLineNamingTheStoreWithoutPasswordAndExitTwo()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        int port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();   // nothing listens there now
        string config = CopyConfig("arbiter", "mysql", yaml => yaml + $"store: \"mysql:Server=127.0.0.1;Port={port};Database=vfl;User ID=vfl;Password=hunter2-secret\"\n");

        var (code, output, error) = await OperatingFixture.CliAsync("party", "--config", config);

        Assert.Equal(2, code);
        Assert.DoesNotContain("hunter2-secret", output + error);
        Assert.DoesNotMatch(@"\bat (System|Microsoft|MySql)\.", output + error);
        Assert.StartsWith("error: party 'arbiter' could not start: ", error);
        Assert.Contains("the store mysql:", error);
        Assert.True(error.Contains($"Port={port}") || error.Contains($"port={port}"), error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task JobSubmit_GuestWithSwappedPeerAddresses_SaysWhichCertificateCameBackAndWhatToCheck()
    {
        // A second guest process (same identity, own port and store) whose config has telecom's and the arbiter's addresses swapped.
        string yaml = File.ReadAllText(Federation.Federation.GuestConfig);
        string telecom = Regex.Match(yaml, @"id: telecom, role: host, address: ""(?<a>[^""]+)""").Groups["a"].Value;
        string arbiter = Regex.Match(yaml, @"id: arbiter, role: arbiter, address: ""(?<a>[^""]+)""").Groups["a"].Value;
        int port = FreePort();
        string config = CopyConfig("bank", "swapped", text => Regex.Replace(text, @"grpc: ""127\.0\.0\.1:\d+""", $"grpc: \"127.0.0.1:{port}\"")
            .Replace($"address: \"{telecom}\"", "address: \"TELECOM\"").Replace($"address: \"{arbiter}\"", $"address: \"{telecom}\"")
            .Replace("address: \"TELECOM\"", $"address: \"{arbiter}\""));
        using var guest = Cli.Local.PartyProcess.Start("bank", config, Path.Combine(Federation.Directory, "bank-swapped.log"));
        await Cli.Local.LocalFederation.WaitHealthyAsync(config, guest, DateTime.UtcNow.AddSeconds(60), CancellationToken.None);
        string spec = Path.Combine(Federation.Directory, "swapped.yaml");
        await File.WriteAllTextAsync(spec, RunningFederation.JobYaml("  epochs: 1\n  batch_size: -1"));

        var (code, _, error) = await OperatingFixture.CliAsync("job", "submit", "--config", config, spec, "--wait");

        Assert.Equal(1, code);
        Assert.Contains($"telecom at {new Uri(arbiter).Authority} was refused at the TLS handshake: certificate is for party 'arbiter', expected 'telecom'", error);
        Assert.Contains("Check the address of 'telecom' under peers:", error);
        Assert.DoesNotContain("RemoteCertificateValidationCallback", error);
        Assert.Single(error.Trim().Split('\n'));
        string refused = Regex.Match(error, @"job-\d{8}-\d{6}-[0-9a-f]{6}").Value;
        Assert.NotEmpty(refused);
        foreach (var party in new[] { "telecom", "arbiter" })   // the proposal never reached the real telecom, nor the arbiter
            Assert.Equal(JobAgreement.Absent, await JobAgreement.SeenAsync(Federation, party, refused));

        var (healthCode, health, _) = await OperatingFixture.CliAsync("health", "--peers", "--config", config);
        Assert.Equal(1, healthCode);
        Assert.Contains("telecom (host, " + arbiter + "): FAILED: telecom at " + new Uri(arbiter).Authority
            + " was refused at the TLS handshake: certificate is for party 'arbiter', expected 'telecom'", health);
    }

    [Fact]
    public async Task PartyConfig_ReadOnceAtStart_SaidAtStartAndOnSighupWithThePartyStillServing()
    {
        var telecom = Federation.Federation.Process("telecom");
        string config = Path.GetFullPath(Federation.Federation.ConfigPath("telecom"));
        Assert.Contains($"config {config} read once: a change (data sources, peers, policy) takes effect at the next restart", File.ReadAllText(telecom.LogPath));

        telecom.Hangup();

        string log = "";
        for (int i = 0; i < 100 && !log.Contains("SIGHUP: "); i++, await Task.Delay(100))
            log = File.ReadAllText(telecom.LogPath);
        Assert.Contains($"SIGHUP: {config} is not reloaded; restart the party to apply a changed config", log);
        Assert.False(telecom.HasExited, "SIGHUP ended the party");
        var (code, output, error) = await OperatingFixture.CliAsync("health", "--config", Federation.Federation.ConfigPath("telecom"));
        Assert.True(code == 0, $"exit {code}: {output} {error}");
    }

    [Fact]
    public async Task HealthPeers_WorkingFederation_EachPeerServingAndAcceptingTheCertificate()
    {
        var (code, output, error) = await OperatingFixture.CliAsync("health", "--peers", "--config", Federation.Federation.GuestConfig);

        Assert.True(code == 0, $"exit {code}: {output} {error}");
        Assert.Matches(@"(?m)^telecom \(host, https://127\.0\.0\.1:\d+\): SERVING, accepts this party's certificate$", output);
        Assert.Matches(@"(?m)^arbiter \(arbiter, https://127\.0\.0\.1:\d+\): SERVING, accepts this party's certificate$", output);
    }

    [Fact]
    public async Task TlsClientFromAnotherCa_IsRejectedAndLoggedWithItsAddress()
    {
        string keys = Path.Combine(Federation.Directory, "mallory-keys");
        Transport.Security.FederationKeys.Create(keys, ["mallory:guest"], TimeSpan.FromDays(1), overwrite: true);
        var files = Transport.Security.FederationKeys.For(keys, "mallory");
        using var pem = X509Certificate2.CreateFromPemFile(files.CertificatePath, files.KeyPath);
        using var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        int port = int.Parse(Regex.Match(File.ReadAllText(Federation.Federation.ConfigPath("telecom")), @"grpc: ""127\.0\.0\.1:(\d+)""").Groups[1].Value);

        using var tcp = new System.Net.Sockets.TcpClient(System.Net.Sockets.AddressFamily.InterNetwork);
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        string local = tcp.Client.LocalEndPoint!.ToString()!;
        using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "telecom", ClientCertificates = [certificate], EnabledSslProtocols = SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http2],
            });
            await ssl.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(5));   // TLS 1.3: the refusal comes after the handshake
        }
        catch (Exception e) when (e is IOException or AuthenticationException or TimeoutException)
        {
        }

        string log = "";
        for (int i = 0; i < 50 && !log.Contains($"rejected from {local}"); i++, await Task.Delay(100))
            log = File.ReadAllText(Federation.Federation.Process("telecom").LogPath);
        Assert.True(log.Contains($"TLS client certificate rejected from {local}: "), log);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData("bank")]
    [InlineData("telecom")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void WorkDirOutputs_AfterAJob_AreReadableByTheOwnerOnly(string party)
    {
        string workDir = Path.Combine(Federation.Directory, party);
        var aligned = Directory.GetFiles(workDir, "aligned.csv", SearchOption.AllDirectories)
            .Single(f => f.Contains(fixture.SucceededJob, StringComparison.Ordinal));
        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        Assert.Equal(ownerOnly, File.GetUnixFileMode(aligned));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(workDir, "vfl.db")) & ~UnixFileMode.UserExecute);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.GetDirectoryName(aligned)!) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead));
    }

    [Fact]
    public async Task JobList_BogusState_ListsTheValidStates()
    {
        var (code, _, error) = await OperatingFixture.CliAsync("job", "list", "--config", Federation.Federation.GuestConfig, "--state", "bogus");

        Assert.Equal(2, code);
        Assert.Contains("state: unknown 'bogus'; valid states are pending, psi, training, evaluating, succeeded, failed, cancelled", error);
    }

    [Fact]
    public async Task JobCancel_FinishedJob_SaysItHasEndedAndExitsTwo()
    {
        var (code, output, error) = await OperatingFixture.CliAsync("job", "cancel", "--config", Federation.Federation.GuestConfig, fixture.SucceededJob);

        Assert.Equal(2, code);
        Assert.Contains($"job {fixture.SucceededJob} has already ended (succeeded", error);
        Assert.Contains("nothing to cancel", error);
        Assert.DoesNotContain("cancelled", output);
    }

    [Theory]
    [InlineData("bank")]
    [InlineData("telecom")]
    public async Task OperatorApi_EmptyJobId_IsInvalidArgument(string party)
    {
        using var connection = OperatorConnection.Open(Federation.Federation.ConfigPath(party), TimeSpan.FromSeconds(30));
        var get = await Assert.ThrowsAsync<RpcException>(() => connection.Operator.GetAsync(new JobRef { JobId = "" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, get.StatusCode);
        Assert.Equal("job_id is required", get.Status.Detail);
        using var watch = connection.Operator.Watch(new JobRef { JobId = "" });
        var watched = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.InvalidArgument, watched.StatusCode);
        if (party == "bank")
        {
            var cancel = await Assert.ThrowsAsync<RpcException>(() => connection.Operator.CancelAsync(new CancelJobRequest { JobId = "" }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, cancel.StatusCode);
        }
    }

    [Fact]
    public async Task JobSubmitWait_StdoutNotATerminal_PrintsPlainProgressLines()
    {
        string spec = Path.Combine(Federation.Directory, "plain.yaml");
        await File.WriteAllTextAsync(spec, RunningFederation.JobYaml("  epochs: 2\n  batch_size: -1"));

        var (code, output, error) = await OperatingFixture.CliAsync("job", "submit", "--config", Federation.Federation.GuestConfig, spec, "--wait");

        Assert.True(code == 0, $"exit {code}: {error}");
        // A two-epoch job can finish between two polls, so any epoch count (0 before the first one ends) is fine.
        Assert.Matches(@"(?m)^\d\d:\d\d:\d\d job job-[0-9a-z-]+: training epoch [0-2]/2", output);
        Assert.Contains(": succeeded", output);
        Assert.DoesNotContain("\u001b[", output);   // no terminal control sequences in a log file
    }

    [Fact]
    public async Task Submit_UnknownHostDataSource_GuestSeesAReferenceNotTheHostsSources()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Federation.SubmitAsync(RunningFederation.JobYaml("  epochs: 1", hosts: "telecom: nosuch")));

        Assert.Matches(@"telecom refused the job: unknown data source at telecom \(ref R-[0-9a-f]{8}\)", error.Status.Detail);
        Assert.DoesNotContain("subscribers", error.Status.Detail);
        string reference = Regex.Match(error.Status.Detail, "R-[0-9a-f]{8}").Value;
        string hostLog = File.ReadAllText(Federation.Federation.Process("telecom").LogPath);
        Assert.Matches($"{reference}: .*no data source named 'nosuch' \\(configured: subscribers\\)", hostLog);
    }

    /// <summary>Every job id each party's operator can list.</summary>
    private async Task<string> JobsEverywhereAsync()
    {
        var seen = new List<string>();
        foreach (var party in Federation.Federation.Parties)
        {
            using var connection = OperatorConnection.Open(Federation.Federation.ConfigPath(party), TimeSpan.FromSeconds(30));
            var jobs = await connection.Operator.ListAsync(new ListJobsRequest());
            seen.Add($"{party}: {string.Join(", ", jobs.Jobs.Select(j => j.JobId).Order(StringComparer.Ordinal))}");
        }
        return string.Join("\n", seen);
    }

    private async Task WaitForEpochAsync(string jobId, int epoch)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            var report = await Federation.Operator.Operator.GetAsync(new JobRef { JobId = jobId });
            Assert.False(report.Summary.State is "failed" or "cancelled" or "succeeded", $"job ended ({report.Summary.State}: {report.Summary.Reason}) early");
            if (report.Epochs >= epoch) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"job {jobId} never reached epoch {epoch}");
    }

    /// <summary>A copy of a party's config with its own work dir (and SQLite store), edited by <paramref name="edit"/>.</summary>
    private string CopyConfig(string party, string name, Func<string, string> edit)
    {
        string directory = Path.Combine(Federation.Directory, $"{party}-{name}");
        string yaml = File.ReadAllText(Federation.Federation.ConfigPath(party));
        yaml = Regex.Replace(yaml, @"work_dir: "".*""", $"work_dir: \"{directory}\"");
        string path = Path.Combine(Federation.Directory, $"{party}-{name}.yaml");
        File.WriteAllText(path, edit(yaml));
        return path;
    }
}
