using Grpc.Core;
using Microsoft.Extensions.Logging;
using VerticalFL.Contracts.V1;
using VerticalFL.Protocol.Channels;
using VerticalFL.Transport.Security;

namespace VerticalFL.Transport.Server;

/// <summary>
/// Puts envelopes from peers into this party's <see cref="PartyMailbox"/>. The sender is the
/// authenticated caller; <see cref="Envelope.Sender"/> is ignored. Every envelope of a stream is
/// authorized on its own, and a denied one ends the stream without being delivered.
/// </summary>
internal sealed class MailboxService(
    PartyMailbox mailbox, IPartyAuthorizer authorizer, PartyServerOptions options, ILogger<MailboxService> logger) : Mailbox.MailboxBase
{
    private const string DeliverStreamMethod = "/vfl.v1.Mailbox/DeliverStream";

    public override Task<DeliveryAck> Deliver(Envelope request, ServerCallContext context) =>
        Task.FromResult(Apply(request, CallerIdentity.Of(context)));

    public override async Task DeliverStream(IAsyncStreamReader<Envelope> requestStream, IServerStreamWriter<DeliveryAck> responseStream, ServerCallContext context)
    {
        string sender = CallerIdentity.Of(context);
        while (await NextAsync(requestStream, context))
        {
            var envelope = requestStream.Current;
            var decision = await authorizer.AuthorizeAsync(new AuthorizationRequest(sender, DeliverStreamMethod, envelope.JobId), context.CancellationToken);
            if (!decision.IsAllowed)
            {
                ServerLog.Denied(logger, DeliverStreamMethod, sender, envelope.JobId, decision.Reason);
                throw new RpcException(new Status(StatusCode.PermissionDenied, decision.Reason));
            }
            await responseStream.WriteAsync(Apply(envelope, sender), context.CancellationToken);
        }
    }

    private DeliveryAck Apply(Envelope envelope, string sender)
    {
        if (envelope.MessageId.Length == 0 || envelope.JobId.Length == 0 || envelope.PayloadType.Length == 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "envelope needs message_id, job_id and payload_type"));
        // Ids are scoped per sender, so no party can suppress another's message by reusing its id.
        bool fresh;
        try
        {
            fresh = mailbox.Deliver($"{sender}/{envelope.MessageId}", envelope.JobId, sender, envelope.PayloadType,
                new Step(envelope.Epoch, envelope.Batch), envelope.Payload);
        }
        catch (MailboxFullException e)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, e.Message));
        }
        ServerLog.Delivered(logger, envelope.PayloadType, envelope.JobId, sender, envelope.Payload.Length, !fresh);
        return new DeliveryAck { MessageId = envelope.MessageId, Duplicate = !fresh };
    }

    private async Task<bool> NextAsync(IAsyncStreamReader<Envelope> stream, ServerCallContext context)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        idle.CancelAfter(options.ReceiveTimeout);
        try
        {
            return await stream.MoveNext(idle.Token);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded,
                $"no envelope for {options.ReceiveTimeout.TotalSeconds:0.#} s"));
        }
    }
}
