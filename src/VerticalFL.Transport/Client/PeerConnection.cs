using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using VerticalFL.Transport.Metrics;
using VerticalFL.Transport.Security;

namespace VerticalFL.Transport.Client;

/// <summary>
/// One long-lived HTTP/2 connection pool to one peer: TLS 1.3 with our client certificate, the
/// peer's certificate checked against the federation CA and required to name the expected party
/// (this replaces the host-name check), and our call defaults on every call.
/// </summary>
internal sealed class PeerConnection : IDisposable
{
    private readonly GrpcChannel _channel;
    private long _messages;
    private long _bytes;

    public PeerConnection(string peer, Uri address, FederationClientOptions options, PartyCredentials? credentials,
        TransportMetrics? metrics, ILoggerFactory loggers)
    {
        Peer = peer;
        Address = address;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            InitialHttp2StreamWindowSize = 8 * 1024 * 1024,
        };
        if (credentials is not null)
            handler.SslOptions = Tls(peer, credentials, options.CertificateRules, loggers.CreateLogger<FederationClient>(),
                reason => CertificateRejection = reason);
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxSendMessageSize = options.MaxMessageBytes,
            MaxReceiveMessageSize = options.MaxMessageBytes,
            LoggerFactory = loggers,
        });
        Invoker = _channel.Intercept(new ClientCallInterceptor(options.PartyId, peer, options, metrics));
    }

    public string Peer { get; }

    public Uri Address { get; }

    /// <summary>Why the peer's certificate was refused at the last handshake, or null when it was accepted (or none ran yet).</summary>
    public string? CertificateRejection { get; private set; }

    public CallInvoker Invoker { get; }

    public PeerTraffic Traffic => new(Interlocked.Read(ref _messages), Interlocked.Read(ref _bytes));

    public void CountDelivered(int bytes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void Dispose() => _channel.Dispose();

    private static SslClientAuthenticationOptions Tls(string peer, PartyCredentials credentials, PeerCertificateRules rules, ILogger logger,
        Action<string?> outcome) => new()
    {
        EnabledSslProtocols = SslProtocols.Tls13,
        ClientCertificateContext = SslStreamCertificateContext.Create(credentials.Certificate, additionalCertificates: null, offline: true),
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            using var presented = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var check = credentials.Trust.CheckServer(presented);
            string reason = !check.IsValid ? check.Reason
                : check.PartyId != peer ? $"certificate is for party '{check.PartyId}', expected '{peer}'"
                : rules.Problem(peer, presented!) ?? "";
            if (reason.Length > 0)
                ClientLog.PeerCertificateRejected(logger, peer, reason, presented?.Subject ?? "(none)");
            outcome(reason.Length > 0 ? reason : null);
            return reason.Length == 0;
        },
    };
}
