using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace VerticalFL.Transport.Tests.Infrastructure;

/// <summary>Collects log entries so tests can check what was logged (and that no secret was).</summary>
internal sealed class LogSink : ILoggerProvider
{
    public sealed record Entry(string Category, int EventId, LogLevel Level, string Message);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyList<Entry> Entries => _entries.ToArray();

    public bool Has(int eventId) => _entries.Any(e => e.EventId == eventId);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new Entry(category, eventId.Id, logLevel, formatter(state, exception)));
    }
}
