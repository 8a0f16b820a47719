using Google.Protobuf;
using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;
using VerticalFL.Protocol.Horizontal;

namespace VerticalFL.Protocol.Tests.Horizontal;

/// <summary>
/// What the services rely on (issue 17): a client the arbiter cannot reach is left out and not sent to again, every client
/// is told each round's pooled figures and the final model's, and a resumed arbiter tells the clients where to start.
/// </summary>
public class HorizontalServiceBehaviourTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    /// <summary>The arbiter's channel with one client gone after <paramref name="failFromRound"/>: sends to it throw, as a dead peer's do.</summary>
    private sealed class DeadPeerChannel(IPartyChannel inner, string dead, int failFromRound) : IPartyChannel
    {
        public int SendsToDead;
        public string Self => inner.Self;
        public string JobId => inner.JobId;

        public Task SendAsync<T>(string to, T message, Step step, CancellationToken cancellationToken = default) where T : IMessage<T>
        {
            if (to == dead && step.Epoch >= failFromRound)
            {
                Interlocked.Increment(ref SendsToDead);
                return Task.FromException(new IOException($"sending to '{dead}' failed: connection refused at 10.0.0.9:4444"));
            }
            return inner.SendAsync(to, message, step, cancellationToken);
        }

        public Task<T> ReceiveAsync<T>(string from, Step step, CancellationToken cancellationToken = default) where T : IMessage<T>, new() =>
            inner.ReceiveAsync<T>(from, step, cancellationToken);
    }

    [Fact]
    public async Task UnreachableClient_LeftOutOfThatRoundAndEveryLaterOne_NotSentToAgain_JobSucceeds()
    {
        var parties = HorizontalFederationTests.Parties([200, 200, 200], seed: 21);
        var parameters = new HorizontalParameters { Rounds = 5, MinParticipants = 2, RoundDeadline = TimeSpan.FromSeconds(20) };
        var federation = new InMemoryFederation(["bank0", "bank1", "bank2", "arbiter"], Bound);
        var channel = new DeadPeerChannel(federation.Channel("arbiter", "h"), "bank2", failFromRound: 3);
        using var cts = new CancellationTokenSource(Bound);
        var summaries = new List<RoundSummary>();
        var arbiter = new HorizontalArbiter(channel, ["bank0", "bank1", "bank2"], parameters).RunAsync(cts.Token);
        var clients = parties.Select((d, i) => new HorizontalClient(federation.Channel($"bank{i}", "h"), "arbiter", parameters, d)
        {
            OnRound = i == 0 ? s => { lock (summaries) summaries.Add(s); } : null,
        }.RunAsync(cts.Token)).ToArray();
        var result = await arbiter;
        await Task.WhenAll(clients[0], clients[1]);

        Assert.Equal(["bank0", "bank1", "bank2"], result.Rounds[1].Participants);
        Assert.Equal(["bank0", "bank1"], result.Rounds[2].Participants);
        Assert.StartsWith("not reachable: sending to 'bank2' failed", result.Rounds[2].LeftOut["bank2"]);
        Assert.Equal(["bank0", "bank1"], result.Rounds[4].Participants);
        Assert.Equal(1, channel.SendsToDead);   // rounds 4, 5 and the final model were not sent to it
        // Clients learn who was left out, but not the details (the address stays with the arbiter).
        var third = summaries.Single(s => s.Round == 3);
        Assert.Equal(["bank2: not reachable"], third.LeftOut);
        Assert.DoesNotContain(summaries, s => s.LeftOut.Any(l => l.Contains("10.0.0.9")));
        Assert.Equal(["bank0", "bank1"], result.Rounds[2].Participants);
        Assert.Equal(result.Rounds.Select(r => r.Round).Append(6), summaries.Select(s => s.Round));
    }

    [Fact]
    public async Task RoundSummaries_AreTheArbitersFigures_AndTheFinalOneIsTheFinalModelsPooledMetrics()
    {
        var parties = HorizontalFederationTests.Parties([250, 150], seed: 22);
        var parameters = new HorizontalParameters { Rounds = 4, MinParticipants = 2 };
        var federation = new InMemoryFederation(["bank0", "bank1", "arbiter"], Bound);
        var seen = new[] { new List<RoundSummary>(), new List<RoundSummary>() };
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "h"), ["bank0", "bank1"], parameters).RunAsync();
        var clients = parties.Select((d, i) => new HorizontalClient(federation.Channel($"bank{i}", "h"), "arbiter", parameters, d)
        {
            OnRound = s => seen[i].Add(s),
        }.RunAsync()).ToArray();
        var result = await arbiter;
        var finals = await Task.WhenAll(clients);

        foreach (var summaries in seen)
        {
            Assert.Equal([1, 2, 3, 4, 5], summaries.Select(s => s.Round));
            for (int r = 0; r < 4; r++)
            {
                Assert.Equal(result.Rounds[r].TrainLoss, summaries[r].TrainLoss);
                Assert.Equal(result.Rounds[r].Validation.Auc, summaries[r].ValidationAuc);
                Assert.Equal(result.Rounds[r].Validation.Rows, summaries[r].ValidationRows);
            }
        }
        Assert.All(finals, f => Assert.Equal(result.Final, f.Pooled));
        // The pooled rows are both clients' hold-outs: more than either client's own.
        Assert.All(finals, f => Assert.True(f.Pooled!.Rows > f.LocalValidation.Rows));
    }

    [Fact]
    public async Task Resume_ArbiterFromACheckpoint_ClientsStartAtTheNextRound_AndTheModelContinues()
    {
        var parties = HorizontalFederationTests.Parties([200, 200], seed: 23);
        var parameters = new HorizontalParameters { Rounds = 3, MinParticipants = 2 };
        var first = await RunAsync(parties, parameters, null);
        var checkpoint = new HorizontalCheckpoint(3, first.Model.Weights, null);

        var resumed = await RunAsync(parties, parameters with { Rounds = 5 }, checkpoint);
        Assert.Equal([4, 5], resumed.Rounds.Select(r => r.Round));
        // Round 4 started from the checkpoint's model: its validation (of the received model) is the first job's final figure.
        Assert.Equal(first.Final.Loss, resumed.Rounds[0].Validation.Loss, 10);
    }

    private static async Task<HorizontalArbiterResult> RunAsync(VerticalFL.Ml.Data.Dataset[] parties, HorizontalParameters parameters, HorizontalCheckpoint? resume)
    {
        var federation = new InMemoryFederation(["bank0", "bank1", "arbiter"], Bound);
        var arbiter = new HorizontalArbiter(federation.Channel("arbiter", "h"), ["bank0", "bank1"], parameters) { ResumeFrom = resume }.RunAsync();
        var clients = parties.Select((d, i) => new HorizontalClient(federation.Channel($"bank{i}", "h"), "arbiter", parameters, d).RunAsync()).ToArray();
        var result = await arbiter;
        await Task.WhenAll(clients);
        return result;
    }
}
