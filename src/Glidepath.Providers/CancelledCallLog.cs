using Microsoft.Extensions.Logging;

namespace Glidepath.Providers;

/// <summary>
/// The logger factory the OpenTelemetry GenAI layer of a model pipeline logs through. A call its caller cancelled (an
/// app's token, a gateway client that went away) is normal traffic, traced as <c>client_closed</c> (499), not a
/// failure: the layer's warning for it, with the exception's whole stack, is logged at Debug without the exception
/// (a trial's app logged one warning per cancelled call). Anything else, a provider's timeout included, passes as it is.
/// </summary>
internal sealed class CancelledCallLog(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>The factory wrapped belongs to the host: not disposed here.</summary>
    public void Dispose()
    {
    }

    /// <summary>Whether <paramref name="error"/> is a cancellation by the caller, not a timeout reported as one.</summary>
    internal static bool IsCallerCancellation(Exception? error) =>
        error is OperationCanceledException && error.InnerException is not TimeoutException;

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsCallerCancellation(exception) || logLevel <= LogLevel.Debug)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            if (inner.IsEnabled(LogLevel.Debug))
            {
                var kind = exception!.GetType().Name;
                inner.Log(LogLevel.Debug, eventId, state, null, (s, _) => $"{formatter(s, null)}: the call was cancelled by its caller ({kind}); traced as client_closed (499)");
            }
        }
    }
}
