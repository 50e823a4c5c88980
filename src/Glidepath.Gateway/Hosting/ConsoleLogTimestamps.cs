using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Glidepath.Gateway.Hosting;

/// <summary>
/// Every console log line of a Glidepath host (gateway, dashboard, <c>glidepath controller</c>) carries its time, ISO 8601
/// in UTC: <c>--log-format json</c> as its <c>Timestamp</c> field, the text format in front of the line. Without it
/// the console formatters write none.
/// </summary>
public static class ConsoleLogTimestamps
{
    /// <summary>ISO 8601 with milliseconds, in UTC (the formatters are told to use UTC).</summary>
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Sets the timestamp of the simple (text) and JSON console formatters.</summary>
    public static ILoggingBuilder AddConsoleTimestamps(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o => (o.TimestampFormat, o.UseUtcTimestamp) = (Format + " ", true));
        logging.Services.Configure<JsonConsoleFormatterOptions>(o => (o.TimestampFormat, o.UseUtcTimestamp) = (Format, true));
        return logging;
    }
}
