using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// Logs the traces dropped while serving, at most once a minute while they are: how many since the last such line, why
/// (the queue full, refused by the store, given up after the store stayed busy), and the running total, named where the
/// host shows it (<see cref="ServingOptions.TracesDroppedShownIn"/>: a gateway's <c>/readyz</c> <c>traces_dropped</c>). A drop on the request path (queue full) is only counted there; this
/// line is how the log learns of it. Nothing is logged while nothing is dropped. Traces lost at a stop are logged by the
/// writer's own line.
/// </summary>
internal sealed partial class TraceDropReport(TraceQueue queue, ILogger logger, TimeSpan busyLimit, string countedIn) : IDisposable
{
    /// <summary>How often the counts are looked at (and at most one line per).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private static readonly TraceDrop[] Reported = [TraceDrop.QueueFull, TraceDrop.Refused, TraceDrop.GivenUp];

    private readonly Lock _gate = new();
    private readonly long[] _logged = new long[Reported.Length];
    private ITimer? _timer;

    /// <summary>Looks at the counts every <see cref="Interval"/> of <paramref name="time"/>.</summary>
    public void Start(TimeProvider time) => _timer = time.CreateTimer(_ => Report(), null, Interval, Interval);

    /// <summary>Logs the drops not logged yet, if there are any.</summary>
    public void Report()
    {
        lock (_gate)
        {
            Span<long> since = stackalloc long[Reported.Length];
            long count = 0;
            for (var i = 0; i < Reported.Length; i++)
            {
                var now = queue.DroppedFor(Reported[i]);
                since[i] = now - _logged[i];
                _logged[i] = now;
                count += since[i];
            }

            if (count > 0)
            {
                LogDropped(logger, count, since[0], since[1], since[2], busyLimit, queue.Dropped, countedIn);
            }
        }
    }

    public void Dispose() => _timer?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} trace(s) dropped since the last such line: {QueueFull} because the queue was full, {Refused} refused by the store, {GivenUp} given up after the store stayed busy for {BusyLimit}; {Total} dropped since this process started (counted in {CountedIn}). This line comes at most once a minute while traces are dropped")]
    private static partial void LogDropped(ILogger logger, long count, long queueFull, long refused, long givenUp, TimeSpan busyLimit, long total, string countedIn);
}
