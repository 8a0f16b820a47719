using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using VerticalFL.Contracts.V1;
using VerticalFL.Ml.Data;
using VerticalFL.Party.Config;

namespace VerticalFL.Guest.Serving;

/// <summary>
/// <c>POST /v1/models/{name}:predict</c> on <c>serving.listen_https</c>: HTTPS (the guest's party certificate) for
/// the bank's own applications, which authenticate with <c>Authorization: Bearer KEY</c> (the key in
/// <c>serving.api_key_file</c>). Body <c>{"ids": [...], "features": {"ID": {"name": value, ...}}, "deadline_ms": N}</c>;
/// answer <c>{"name", "model_job_id", "predictions": [{"id", "score", "probability", "error", "guest_only"}], "missing_hosts"}</c>.
/// </summary>
internal static class ServingHttpEndpoint
{
    private const string Suffix = ":predict";

    public static void Listen(IServiceCollection services, PartyConfig config)
    {
        if (config.Serving.ListenHttps.Length == 0)
            return;
        var endpoint = IPEndPoint.Parse(config.Serving.ListenHttps);
        var tls = config.Tls ?? throw new BadInputException("serving.listen_https needs the party's tls: certificate and key.");
        var certificate = X509Certificate2.CreateFromPemFile(tls.Certificate, tls.Key);
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }));
    }

    public static void Map(WebApplication app, PartyConfig config, OnlinePredictor predictor)
    {
        if (config.Serving.ListenHttps.Length == 0)
            return;
        int port = IPEndPoint.Parse(config.Serving.ListenHttps).Port;
        byte[] key = KeyDigest(config.Serving.ApiKeyFile);
        app.MapPost("/v1/models/{model}", async context =>
        {
            // The route exists on this port only (never on the federation's gRPC port).
            if (context.Connection.LocalPort != port && port != 0)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await HandleAsync(context, key, predictor);
        });
    }

    private static async Task HandleAsync(HttpContext context, byte[] key, OnlinePredictor predictor)
    {
        if (!Authorized(context.Request, key))
        {
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "missing or wrong API key (Authorization: Bearer KEY)");
            return;
        }
        string model = (string)context.Request.RouteValues["model"]!;
        if (!model.EndsWith(Suffix, StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, StatusCodes.Status404NotFound, $"unknown path; use /v1/models/NAME{Suffix}");
            return;
        }
        try
        {
            var request = await ParseAsync(context.Request, model[..^Suffix.Length]);
            var reply = await predictor.PredictAsync(request, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(Encode(reply), context.RequestAborted);
        }
        catch (ServingFailure e)
        {
            await WriteErrorAsync(context, HttpStatus(e.Code), e.Message);
        }
    }

    private static async Task<OnlinePredictRequest> ParseAsync(HttpRequest http, string name)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Body);
        }
        catch (JsonException e)
        {
            throw new ServingFailure(StatusCode.InvalidArgument, $"body: not JSON ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            var request = new OnlinePredictRequest { Name = name };
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
                throw new ServingFailure(StatusCode.InvalidArgument, "body: needs \"ids\": an array of strings");
            foreach (var id in ids.EnumerateArray())
                request.Ids.Add(id.ValueKind == JsonValueKind.String ? id.GetString()! : throw new ServingFailure(StatusCode.InvalidArgument, "ids: every id must be a string"));
            if (root.TryGetProperty("features", out var features))
                ReadFeatures(features, request);
            if (root.TryGetProperty("deadline_ms", out var deadline))
                request.DeadlineMs = deadline.TryGetInt32(out int ms) && ms > 0 ? ms : throw new ServingFailure(StatusCode.InvalidArgument, "deadline_ms: must be a positive whole number");
            return request;
        }
    }

    private static void ReadFeatures(JsonElement features, OnlinePredictRequest request)
    {
        if (features.ValueKind != JsonValueKind.Object)
            throw new ServingFailure(StatusCode.InvalidArgument, "features: must be an object {\"ID\": {\"feature\": number}}");
        foreach (var byId in features.EnumerateObject())
        {
            if (byId.Value.ValueKind != JsonValueKind.Object)
                throw new ServingFailure(StatusCode.InvalidArgument, $"features.{byId.Name}: must be an object of feature values");
            var values = new GuestFeatures();
            foreach (var feature in byId.Value.EnumerateObject())
                values.Values[feature.Name] = feature.Value.TryGetDouble(out double v)
                    ? v
                    : throw new ServingFailure(StatusCode.InvalidArgument, $"features.{byId.Name}.{feature.Name}: not a number");
            request.Features[byId.Name] = values;
        }
    }

    private static byte[] Encode(OnlinePredictReply reply)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", reply.Name);
            json.WriteString("model_job_id", reply.ModelJobId);
            json.WriteStartArray("predictions");
            foreach (var score in reply.Scores)
            {
                json.WriteStartObject();
                json.WriteString("id", score.Id);
                if (score.Error.Length > 0)
                {
                    json.WriteNull("score");
                    json.WriteNull("probability");
                    json.WriteString("error", score.Error);
                }
                else
                {
                    json.WriteNumber("score", score.Score);
                    json.WriteNumber("probability", score.Probability);
                }
                json.WriteBoolean("guest_only", score.GuestOnly);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("missing_hosts");
            foreach (var host in reply.MissingHosts)
                json.WriteStringValue(host);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        }
        return context.Response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }

    private static int HttpStatus(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status502BadGateway,
    };

    /// <summary>Compared as SHA-256 digests in fixed time, so neither the key's length nor its prefix leaks by timing.</summary>
    private static bool Authorized(HttpRequest request, byte[] keyDigest)
    {
        string header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
            return false;
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, keyDigest);
    }

    private static byte[] KeyDigest(string path)
    {
        if (!File.Exists(path))
            throw new BadInputException($"serving.api_key_file: {path} not found.");
        string key = File.ReadAllText(path).Trim();
        if (key.Length < 16)
            throw new BadInputException($"serving.api_key_file: {path}: the key must be at least 16 characters.");
        return SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }
}
