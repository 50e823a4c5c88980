using System.Data.Common;
using System.Globalization;
using Glidepath.Errors;

namespace Glidepath.Cli.Commands;

/// <summary>
/// The loop of every <c>status --watch</c> (<c>rollout status</c>, <c>shadow status</c>): refresh, wait the interval,
/// refresh again, until a refresh says the watch is over. A refresh that fails the way an outage fails (the store
/// unreachable or failing — a PostgreSQL restart, a failover, a pooler's reload — or the admin API unreachable or
/// answering 503) does not end it: one line says so (stderr; under <c>--format json</c> also one compact object in the
/// JSON Lines on stdout, with <c>"retrying": true</c>) and the next refresh comes at the interval, for as long as the
/// outage lasts. So a watch ends only on what it read (the rollout ended, the judge decided), never on a failure to read
/// it, and never reports an end that did not happen; Ctrl-C stops it. Only once something was shown: a first refresh
/// that fails is the command's failure (exit 3), as without <c>--watch</c>, so a wrong location is not waited on forever.
/// </summary>
internal static class WatchLoop
{
    /// <summary>
    /// Runs a status command whose <c>--watch</c> a Ctrl-C ends: exit 130 (interrupted, never 0: no pass was seen) saying
    /// that <paramref name="what"/> goes on; nothing was being done, so nothing is "saved", and a JSON Lines reader gets
    /// only status documents (no error object after them). Without <c>--watch</c> a cancellation is the usual one.
    /// </summary>
    public static async Task<int> EndedByCtrlCAsync(CliContext ctx, bool watching, string what, Func<Task<int>> status, CancellationToken ct)
    {
        try
        {
            return await status();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && watching)
        {
            ctx.Output.Note($"stopped watching; {what} goes on (watching changed nothing)");
            return ExitCodes.Interrupted;
        }
    }

    /// <param name="refresh">Reads and prints once; returns the exit code when the watch is over (always when <paramref name="watch"/> is false), null to go on.</param>
    public static async Task<int> RunAsync(CliContext ctx, bool watch, TimeSpan every, Func<CancellationToken, Task<int?>> refresh, CancellationToken ct)
    {
        var shown = false;
        while (true)
        {
            int? end;
            try
            {
                end = await refresh(ct);
                shown = true;
            }
            catch (Exception ex) when (watch && shown && IsOutage(ex) && !ct.IsCancellationRequested)
            {
                Report(ctx, ex, every);
                end = null;
            }

            if (end is { } code)
            {
                return code;
            }

            await Task.Delay(every, ctx.Time, ct);
        }
    }

    /// <summary>
    /// A failure that passes when the store or the admin API is back: the driver's own errors, and the operational
    /// errors the stores and the admin API client wrap them in. Bad input and refusals (a token revoked meanwhile, an
    /// environment with no rollout) end the watch as they end the command.
    /// </summary>
    internal static bool IsOutage(Exception ex) =>
        ex is DbException or TimeoutException or IOException or HttpRequestException or GlidepathException { Kind: FailureKind.Operational };

    private static void Report(CliContext ctx, Exception ex, TimeSpan every)
    {
        var at = ctx.Time.GetUtcNow();
        var reason = CliFailure.Message(ex, ctx.StoreInUse);
        var what = ctx.Remote is null ? "store unreachable" : "admin API unavailable";
        ctx.Output.Note(string.Create(CultureInfo.InvariantCulture, $"{what} at {at:HH:mm:ss} UTC: {reason}; retrying every {Interval(every)}"));
        if (ctx.Output.IsJson)
        {
            ctx.Output.Json(w =>
            {
                w.WriteStartObject();
                w.WriteString("error", reason);
                w.WriteBoolean("retrying", true);
                w.WriteString("at", at);
                w.WriteNumber("retry_every_seconds", every.TotalSeconds);
                w.WriteEndObject();
            });
        }
    }

    private static string Interval(TimeSpan every) => every < TimeSpan.FromSeconds(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{(long)every.TotalMilliseconds}ms")
        : Rollouts.RolloutView.Duration(every);
}
