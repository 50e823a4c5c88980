using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>An app's logger factory at Debug that keeps every entry, with its category and exception.</summary>
internal sealed class KeptLog : ILoggerFactory
{
    public ConcurrentQueue<(string Category, LogLevel Level, string Text, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(KeptLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Entries.Enqueue((category, logLevel, formatter(state, exception), exception));
    }
}
