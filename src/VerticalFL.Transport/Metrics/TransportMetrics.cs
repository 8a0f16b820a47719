using Prometheus;

namespace VerticalFL.Transport.Metrics;

/// <summary>
/// One party's instruments (prometheus-net): messages and bytes per method, peer and direction; call
/// latency per side, method, peer and status; each running job's state and progress, jobs ended per
/// state, epoch durations, the party certificate's expiry. Each instance owns its own registry, so two
/// parties in one process (tests) keep separate figures. deploy/monitoring alerts on these names.
/// </summary>
public sealed class TransportMetrics
{
    /// <summary>Latency bucket upper bounds, in seconds: sub-millisecond local calls to 30 s epochs.</summary>
    // Job labels are job_id, not job: Prometheus gives every scraped series its own `job` label.
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Counter _messages;
    private readonly Counter _bytes;
    private readonly Histogram _duration;
    private readonly Gauge _jobProgress;
    private readonly Gauge _jobState;
    private readonly Counter _jobsEnded;
    private readonly Histogram _epochDuration;
    private readonly Gauge _certificateExpiry;
    private readonly Dictionary<string, string> _stateOfJob = [];

    public TransportMetrics()
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(_registry);
        string[] traffic = ["direction", "method", "peer"];
        _messages = factory.CreateCounter("vfl_transport_messages_total", "Protobuf messages sent or received",
            new CounterConfiguration { LabelNames = traffic });
        _bytes = factory.CreateCounter("vfl_transport_bytes_total", "Serialized message bytes sent or received (before gzip)",
            new CounterConfiguration { LabelNames = traffic });
        _duration = factory.CreateHistogram("vfl_transport_call_duration_seconds", "gRPC call duration",
            new HistogramConfiguration { LabelNames = ["code", "method", "peer", "side"], Buckets = LatencyBuckets });
        _jobProgress = factory.CreateGauge("vfl_job_progress", "Fraction of a job done, 0..1",
            new GaugeConfiguration { LabelNames = ["job_id"] });
        _jobState = factory.CreateGauge("vfl_job_state", "1 for each running job's current state",
            new GaugeConfiguration { LabelNames = ["job_id", "role", "state"] });
        _jobsEnded = factory.CreateCounter("vfl_jobs_ended_total", "Jobs that reached a terminal state",
            new CounterConfiguration { LabelNames = ["role", "state"] });
        _epochDuration = factory.CreateHistogram("vfl_training_epoch_duration_seconds", "Wall-clock time of one training epoch",
            new HistogramConfiguration { LabelNames = ["role"], Buckets = Histogram.ExponentialBuckets(0.125, 2, 14) });
        _certificateExpiry = factory.CreateGauge("vfl_certificate_expiry_timestamp_seconds",
            "Unix time at which this party's TLS certificate expires");
    }

    /// <summary>Records a job's move to <paramref name="state"/>; a terminal state counts it as ended and drops its series.</summary>
    public void SetJobState(string jobId, string role, string state, bool terminal)
    {
        lock (_stateOfJob)
        {
            if (_stateOfJob.Remove(jobId, out var previous))
                _jobState.RemoveLabelled(jobId, role, previous);
            if (terminal)
            {
                _jobsEnded.WithLabels(role, state).Inc();
                return;
            }
            _stateOfJob[jobId] = state;
            _jobState.WithLabels(jobId, role, state).Set(1);
        }
    }

    public void ObserveEpoch(string role, double seconds) => _epochDuration.WithLabels(role).Observe(seconds);

    public void SetCertificateExpiry(DateTimeOffset notAfter) => _certificateExpiry.Set(notAfter.ToUnixTimeSeconds());

    /// <summary>Sets a job's progress, a fraction from 0 to 1.</summary>
    public void SetJobProgress(string jobId, double fraction) =>
        _jobProgress.WithLabels(jobId).Set(Math.Clamp(fraction, 0, 1));

    /// <summary>Stops reporting a job's progress (when it ends), so series do not pile up with jobs.</summary>
    public void ForgetJob(string jobId) => _jobProgress.RemoveLabelled(jobId);

    /// <summary>Writes all figures in the Prometheus text format 0.0.4.</summary>
    public Task WritePrometheusAsync(Stream destination, CancellationToken cancellationToken) =>
        _registry.CollectAndExportAsTextAsync(destination, cancellationToken);

    /// <summary>All figures in the Prometheus text format 0.0.4, as a string (tests, small tools).</summary>
    public string RenderPrometheus()
    {
        using var buffer = new MemoryStream();
        WritePrometheusAsync(buffer, CancellationToken.None).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal void CountMessage(string direction, string method, string peer, long bytes)
    {
        _messages.WithLabels(direction, method, peer).Inc();
        _bytes.WithLabels(direction, method, peer).Inc(bytes);
    }

    /// <param name="seconds">Wall-clock duration of the call, in seconds.</param>
    internal void RecordCall(string side, string method, string peer, string code, double seconds) =>
        _duration.WithLabels(code, method, peer, side).Observe(seconds);
}

/// <summary>Label values for <see cref="TransportMetrics"/>.</summary>
internal static class Direction
{
    public const string Sent = "sent";
    public const string Received = "received";
}
