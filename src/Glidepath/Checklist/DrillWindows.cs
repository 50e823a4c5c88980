using Glidepath.Environments;
using Glidepath.Storage;
using Glidepath.Traces;

namespace Glidepath.Checklist;

/// <summary>
/// When rollback drills held an environment: from each drill's <c>candidate_on</c> event to its <c>result</c> or
/// <c>aborted</c> event (a drill killed before either lasts until the next event, or until now). The drill's own
/// probes are traced then ("Rollback drill probe: reply with one word."), so a trace in a window is no evidence that a
/// release served real traffic: the checklist reads traces outside them.
/// </summary>
internal sealed class DrillWindows
{
    private readonly List<(DateTimeOffset Start, DateTimeOffset End)> _windows;

    private DrillWindows(List<(DateTimeOffset Start, DateTimeOffset End)> windows) => _windows = windows;

    /// <param name="history">The environment's history, oldest first.</param>
    public static DrillWindows Of(IReadOnlyList<EnvironmentEvent> history, DateTimeOffset now)
    {
        var windows = new List<(DateTimeOffset, DateTimeOffset)>();
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].Kind != EnvironmentEventKinds.Drill || Phase(history[i]) != "candidate_on")
            {
                continue;
            }

            var end = now;
            for (var j = i + 1; j < history.Count; j++)
            {
                if (history[j].Kind != EnvironmentEventKinds.Drill || Phase(history[j]) is "result" or "aborted" or "candidate_on")
                {
                    end = history[j].Time;
                    break;
                }
            }

            windows.Add((history[i].Time, end));
        }

        return new DrillWindows(windows);
    }

    /// <summary>The newest trace matching <paramref name="query"/> that no drill sent (outside every window), or null.</summary>
    public async Task<TraceRecord?> NewestOutsideAsync(ITraceStore traces, TraceQuery query, CancellationToken ct)
    {
        var until = query.Until;
        for (var tries = 0; tries <= _windows.Count; tries++)
        {
            var found = await traces.ListAsync(query with { Until = until, Limit = 1 }, ct).ConfigureAwait(false);
            if (found.Count == 0)
            {
                return null;
            }

            var at = found[0].StartedAt;
            if (!_windows.Exists(w => at >= w.Start && at <= w.End))
            {
                return found[0];
            }

            // Inside a drill: look again before that drill began (Until is exclusive).
            until = _windows.Where(w => at >= w.Start && at <= w.End).Min(w => w.Start);
        }

        return null;
    }

    private static string? Phase(EnvironmentEvent e)
    {
        if (e.DetailsJson is null)
        {
            return null;
        }

        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(e.DetailsJson)?["phase"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
