using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace VerticalFL.Transport.Metrics;

/// <summary>
/// Listens to one <see cref="Meter"/> and keeps running totals per series: sums for counters, last
/// value for gauges, cumulative buckets for histograms; renders them in the Prometheus text format.
/// </summary>
internal sealed class PrometheusCollector : IDisposable
{
    /// <summary>Histogram bucket upper bounds, in the instrument's unit (seconds for latency).</summary>
    private static readonly double[] Bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Family> _families = new();

    public PrometheusCollector(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    public void Forget(string instrument, string label, string value)
    {
        if (!_families.TryGetValue(instrument, out var family))
            return;
        foreach (var key in family.Series.Keys.Where(k => k.Contains($"{label}=\"{Escape(value)}\"", StringComparison.Ordinal)))
            family.Series.TryRemove(key, out _);
    }

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
            family.Render(text);
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var family = _families.GetOrAdd(instrument.Name, _ => new Family(instrument));
        var series = family.Series.GetOrAdd(Labels(tags), _ => new Series());
        lock (series)
            series.Add(family.Kind, value);
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
            pairs.Add($"{tag.Key}=\"{Escape(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")}\"");
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(",", pairs);
    }

    private static string Escape(string value) => value.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    private enum Kind { Counter, Gauge, Histogram }

    private sealed class Family(Instrument instrument)
    {
        public string Name { get; } = instrument.Name;
        public Kind Kind { get; } = instrument switch
        {
            Histogram<double> => Kind.Histogram,
            Gauge<double> => Kind.Gauge,
            _ => Kind.Counter,
        };
        public ConcurrentDictionary<string, Series> Series { get; } = new();

        public void Render(StringBuilder text)
        {
            string name = Kind == Kind.Counter ? Name + "_total" : Name;
            text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(Kind.ToString().ToLowerInvariant()).Append('\n');
            foreach (var (labels, series) in Series.OrderBy(s => s.Key, StringComparer.Ordinal))
                lock (series)
                    series.Render(text, name, labels, Kind);
        }
    }

    private sealed class Series
    {
        private double _sum;
        private long _count;
        private readonly long[] _buckets = new long[Bounds.Length];

        public void Add(Kind kind, double value)
        {
            _sum = kind == Kind.Gauge ? value : _sum + value;
            _count++;
            if (kind != Kind.Histogram)
                return;
            for (int i = 0; i < Bounds.Length; i++)
                if (value <= Bounds[i])
                    _buckets[i]++;
        }

        public void Render(StringBuilder text, string name, string labels, Kind kind)
        {
            if (kind != Kind.Histogram)
            {
                Line(text, name, labels, _sum);
                return;
            }
            string sep = labels.Length == 0 ? "" : ",";
            for (int i = 0; i < Bounds.Length; i++)
                Line(text, name + "_bucket", $"{labels}{sep}le=\"{Number(Bounds[i])}\"", _buckets[i]);
            Line(text, name + "_bucket", $"{labels}{sep}le=\"+Inf\"", _count);
            Line(text, name + "_sum", labels, _sum);
            Line(text, name + "_count", labels, _count);
        }

        private static void Line(StringBuilder text, string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
                text.Append('{').Append(labels).Append('}');
            text.Append(' ').Append(Number(value)).Append('\n');
        }
    }
}
