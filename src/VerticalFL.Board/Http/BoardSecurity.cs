using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace VerticalFL.Board.Http;

/// <summary>
/// Headers on every board response (a strict CSP: scripts, styles and fetches from this server only, no inline
/// script or style, images only from here or data URIs; no framing, no referrer, no caching) and, when a token is
/// configured, the bearer check.
/// </summary>
internal static class BoardSecurity
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static RequestDelegate Guard(RequestDelegate next, string? token)
    {
        byte[]? expected = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return async context =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-store";
            if (expected is not null && !Authorized(context.Request, expected))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                headers.WWWAuthenticate = "Bearer realm=\"vfl-board\"";
                await context.Response.WriteAsync("401: this board needs 'Authorization: Bearer <token>' (board.token_file).\n");
                return;
            }
            await next(context);
        };
    }

    /// <summary>Compares hashes in fixed time, so the comparison does not leak how much of a guess was right.</summary>
    private static bool Authorized(HttpRequest request, byte[] expected)
    {
        string header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }
}
