using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VerticalFL.Transport.Metrics;

/// <summary>
/// One party's transport instruments (System.Diagnostics.Metrics, meter <see cref="MeterName"/>):
/// messages and bytes per method, peer and direction; call latency per side, method, peer and status;
/// job progress. Each instance owns its own <see cref="Meter"/>, so two parties in one process
/// (tests) keep separate figures. <see cref="RenderPrometheus"/> gives the text exposition format.
/// </summary>
public sealed class TransportMetrics : IDisposable
{
    public const string MeterName = "VerticalFL.Transport";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _messages;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _duration;
    private readonly Gauge<double> _jobProgress;
    private readonly PrometheusCollector _collector;

    public TransportMetrics()
    {
        _messages = _meter.CreateCounter<long>("vfl_transport_messages", "{message}", "Protobuf messages sent or received");
        _bytes = _meter.CreateCounter<long>("vfl_transport_bytes", "By", "Serialized message bytes sent or received (before gzip)");
        _duration = _meter.CreateHistogram<double>("vfl_transport_call_duration_seconds", "s", "gRPC call duration");
        _jobProgress = _meter.CreateGauge<double>("vfl_job_progress", "1", "Fraction of a job done, 0..1");
        _collector = new PrometheusCollector(_meter);
    }

    /// <summary>Sets a job's progress, a fraction from 0 to 1.</summary>
    public void SetJobProgress(string jobId, double fraction) =>
        _jobProgress.Record(Math.Clamp(fraction, 0, 1), new KeyValuePair<string, object?>("job", jobId));

    /// <summary>Stops reporting a job's progress (when it ends).</summary>
    public void ForgetJob(string jobId) => _collector.Forget("vfl_job_progress", "job", jobId);

    /// <summary>All figures in the Prometheus text format 0.0.4.</summary>
    public string RenderPrometheus() => _collector.Render();

    internal void CountMessage(string direction, string method, string peer, long bytes)
    {
        var tags = new TagList { { "direction", direction }, { "method", method }, { "peer", peer } };
        _messages.Add(1, tags);
        _bytes.Add(bytes, tags);
    }

    /// <param name="seconds">Wall-clock duration of the call, in seconds.</param>
    internal void RecordCall(string side, string method, string peer, string code, double seconds) =>
        _duration.Record(seconds, new TagList { { "side", side }, { "method", method }, { "peer", peer }, { "code", code } });

    public void Dispose()
    {
        _collector.Dispose();
        _meter.Dispose();
    }
}

/// <summary>Label values for <see cref="TransportMetrics"/>.</summary>
internal static class Direction
{
    public const string Sent = "sent";
    public const string Received = "received";
}
