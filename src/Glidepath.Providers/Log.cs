using Microsoft.Extensions.Logging;

namespace Glidepath.Providers;

internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "model provider {Provider}: attempt {Attempt} failed (status {Status}, {Failure}); retrying after {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, string provider, int attempt, int status, string failure, long delayMs);

    /// <summary>As <see cref="Retrying"/> for an attempt that got no HTTP status (a timeout or a connection failure before the headers).</summary>
    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "model provider {Provider}: attempt {Attempt} failed (no response, {Failure}); retrying after {DelayMs} ms")]
    public static partial void RetryingUnanswered(ILogger logger, string provider, int attempt, string failure, long delayMs);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "response cache hit for {Provider}/{Model}")]
    public static partial void CacheHit(ILogger logger, string provider, string model);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "response cache unavailable, calling the provider: {Error}")]
    public static partial void CacheFailed(ILogger logger, string error);
}
