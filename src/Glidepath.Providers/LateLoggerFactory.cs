using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Glidepath.Providers;

/// <summary>
/// A logger factory whose loggers write to a factory attached later (<see cref="Attach"/>), and nowhere before: a model
/// client factory is built before the host whose logging it should use (<c>glidepath serve</c> builds its factory, then
/// the gateway's host), and the loggers its clients took at creation must follow once the host's is there.
/// </summary>
internal sealed class LateLoggerFactory : ILoggerFactory
{
    private volatile ILoggerFactory? _target;

    /// <summary>Sends every logger of this factory, made before or after, to <paramref name="target"/>.</summary>
    public void Attach(ILoggerFactory target) => _target = target;

    public ILogger CreateLogger(string categoryName) => new Late(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("attach a logger factory instead");

    public void Dispose()
    {
    }

    private sealed class Late(LateLoggerFactory owner, string category) : ILogger
    {
        private ILogger? _inner;
        private ILoggerFactory? _of;

        private ILogger Inner
        {
            get
            {
                var target = owner._target;
                if (target is null)
                {
                    return NullLogger.Instance;
                }

                if (!ReferenceEquals(_of, target))
                {
                    _inner = target.CreateLogger(category);
                    _of = target;
                }

                return _inner!;
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => Inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
