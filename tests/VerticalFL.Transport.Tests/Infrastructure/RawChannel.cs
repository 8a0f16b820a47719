using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace VerticalFL.Transport.Tests.Infrastructure;

/// <summary>
/// A bare gRPC channel for attacker-style tests: it accepts any server certificate (test only) and
/// presents whatever client certificate it is given, or none, so that only the server decides.
/// </summary>
internal static class RawChannel
{
    public static GrpcChannel Create(Uri address, X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler();
        if (address.Scheme == Uri.UriSchemeHttps)
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
            };
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public static X509Certificate2 Certificate(string keysDir, string party) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(keysDir, party + ".crt"), Path.Combine(keysDir, party + ".key"));
}
