using Grpc.Core;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Ml.Training;
using VerticalFL.Protocol.Serving;

namespace VerticalFL.Guest.Serving;

/// <summary>
/// One online prediction at the guest: its own part of each id's score (from its rows, or from features in the
/// request), one batch to every host over their long-lived streams, the hosts' sum added, within one deadline.
/// A host that fails or is late fails the request naming it, or, where the deployment allows, yields guest-only
/// scores flagged as such.
/// </summary>
internal sealed class OnlinePredictor(GuestServing serving, int defaultDeadlineMs)
{
    public const int MaxIds = 1000;

    /// <exception cref="ServingFailure">Bad request (INVALID_ARGUMENT), unknown name (NOT_FOUND), a host's limit
    /// (RESOURCE_EXHAUSTED), a host down or late (UNAVAILABLE / DEADLINE_EXCEEDED), each naming the party.</exception>
    public async Task<OnlinePredictReply> PredictAsync(OnlinePredictRequest request, CancellationToken ct)
    {
        if (request.Ids.Count == 0 || request.Ids.Count > MaxIds)
            throw new ServingFailure(StatusCode.InvalidArgument, $"ids: give 1 to {MaxIds} ids (got {request.Ids.Count}).");
        if (request.DeadlineMs < 0)
            throw new ServingFailure(StatusCode.InvalidArgument, $"deadline_ms: must be positive (got {request.DeadlineMs}).");
        var deployment = serving.Enter(request.Name);
        try
        {
            int deadlineMs = request.DeadlineMs > 0 ? request.DeadlineMs : defaultDeadlineMs;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(deadlineMs);
            var guestParts = GuestParts(deployment, request);
            var (replies, missing) = await AskHostsAsync(deployment, request, deadlineMs, deadline.Token);
            var reply = new OnlinePredictReply { Name = deployment.Name, ModelJobId = deployment.ModelJob, MissingHosts = { missing } };
            var hostSums = missing.Count > 0 ? null : HostScoreSum.Combine(deployment.Hosts, replies!, request.Ids.Count);
            for (int i = 0; i < request.Ids.Count; i++)
                reply.Scores.Add(Score(request.Ids[i], guestParts[i], hostSums?[i], deployment));
            return reply;
        }
        finally
        {
            deployment.Exit();
        }
    }

    /// <summary>s = (guest part + hosts' sum) + intercept, in the same order as batch prediction, so both agree to the last bits.</summary>
    private static OnlineScore Score(string id, double? guestPart, HostContribution? hosts, GuestDeployment deployment)
    {
        if (guestPart is null)
            return Failed(id, "unknown at the guest");
        if (hosts is { UnknownAt: { } unknownAt })
            return Failed(id, $"unknown at {string.Join(", ", unknownAt)}");
        double s = guestPart.Value + (hosts?.Sum ?? 0.0) + deployment.Model.Intercept;
        return new OnlineScore { Id = id, Score = s, Probability = TaylorLogistic.Sigmoid(s), GuestOnly = hosts is null };
    }

    private static OnlineScore Failed(string id, string error) => new() { Id = id, Score = double.NaN, Probability = double.NaN, Error = error };

    /// <summary>x_g·w_g per id: from the request's features when it brings them, else from the guest's rows (null when unknown).</summary>
    private static double?[] GuestParts(GuestDeployment deployment, OnlinePredictRequest request)
    {
        foreach (var id in request.Features.Keys)
            if (!request.Ids.Contains(id))
                throw new ServingFailure(StatusCode.InvalidArgument, $"features: given for an id that is not in ids (entry {request.Features.Keys.ToList().IndexOf(id) + 1}).");
        var table = deployment.Table.Current;
        var model = deployment.Model;
        var parts = new double?[request.Ids.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            string id = request.Ids[i];
            if (request.Features.TryGetValue(id, out var given))
            {
                try
                {
                    parts[i] = ScoreTable.ScoreRow(given.Values, model.FeatureNames, model.Scaler, model.Weights);
                }
                catch (BadInputException e)
                {
                    throw new ServingFailure(StatusCode.InvalidArgument, $"ids[{i}]: {e.Message}");
                }
            }
            else if (table.TryGet(id, out double score))
                parts[i] = score;
        }
        return parts;
    }

    /// <summary>Every host's reply, or (with fallback allowed) the hosts that failed.</summary>
    private async Task<(ScoreReply[]? Replies, List<string> Missing)> AskHostsAsync(GuestDeployment deployment, OnlinePredictRequest request,
        int deadlineMs, CancellationToken deadline)
    {
        var batch = new ScoreBatch
        {
            RequestId = serving.NextRequestId(), Name = deployment.Name, ModelJobId = deployment.ModelJob,
            Session = Google.Protobuf.ByteString.CopyFrom(serving.Session),
        };
        batch.Ids.AddRange(request.Ids);
        var calls = deployment.Hosts.Select(h => serving.Stream(h).ScoreAsync(batch, deadline)).ToArray();
        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception) when (calls.All(c => c.IsCompleted))
        {
            // Each call's outcome is looked at below.
        }
        var missing = new List<string>();
        ServingFailure? first = null;
        for (int k = 0; k < calls.Length; k++)
        {
            string host = deployment.Hosts[k];
            var failure = Failure(host, calls[k], deadlineMs);
            if (failure is null)
                continue;
            // A host's refusal (its limit, a version it does not hold) is its decision: never papered over by a fallback.
            if (!deployment.AllowFallback || failure.Code is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded))
                throw failure;
            first ??= failure;
            missing.Add(host);
        }
        return missing.Count > 0 ? (null, missing) : (calls.Select(c => c.Result).ToArray(), missing);
    }

    private static ServingFailure? Failure(string host, Task<ScoreReply> call, int deadlineMs)
    {
        if (call.IsCanceled)
            return new ServingFailure(StatusCode.DeadlineExceeded, $"{host} did not answer within the deadline of {deadlineMs} ms", host);
        if (call.Exception?.InnerException is ServingFailure failure)
            return failure;
        if (call.Exception is { } other)
            return new ServingFailure(StatusCode.Unavailable, $"{host}: {other.InnerException?.Message}", host);
        var reply = call.Result;
        if (reply.Error.Length == 0)
            return null;
        return reply.Limited
            ? new ServingFailure(StatusCode.ResourceExhausted, $"{host} refused: {reply.Error}", host)
            : new ServingFailure(StatusCode.FailedPrecondition, $"{host} refused: {reply.Error}", host);
    }
}
