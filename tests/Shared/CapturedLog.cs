using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Glidepath.Testing;

/// <summary>A logger for one service that keeps every line it writes, with its level, to check what reaches the log and how often.</summary>
internal sealed class CapturedLog<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((logLevel, formatter(state, exception)));
}
