using VerticalFL.Contracts.V1;

namespace VerticalFL.Transport.Server;

/// <summary>
/// What a party does with job-control calls; the gRPC plumbing (authentication, authorization,
/// error mapping) is done before these run. <c>caller</c> is the authenticated party id.
/// Throw <see cref="ArgumentException"/> for a bad request (INVALID_ARGUMENT),
/// <see cref="KeyNotFoundException"/> for an unknown job (NOT_FOUND) and
/// <see cref="InvalidOperationException"/> for a job in the wrong state (FAILED_PRECONDITION);
/// anything else becomes INTERNAL without its message.
/// </summary>
public interface IJobControlHandler
{
    /// <summary>Called only for trusted guests, with <see cref="JobProposal.InitiatorPartyId"/> equal to the caller, who is among the participants as guest.</summary>
    Task<JobAcceptance> ProposeAsync(string caller, JobProposal proposal, CancellationToken cancellationToken);

    Task<CancelJobReply> CancelAsync(string caller, CancelJobRequest request, CancellationToken cancellationToken);

    Task<JobStatusReply> StatusAsync(string caller, JobStatusRequest request, CancellationToken cancellationToken);

    /// <summary>Yields the status now and on every change; ends when the job ends or the token fires.</summary>
    IAsyncEnumerable<JobStatusReply> WatchAsync(string caller, JobStatusRequest request, CancellationToken cancellationToken);
}
