using Glidepath.Errors;

namespace Glidepath.Shadow;

/// <summary>
/// Earlier shadows: <c>shadow list</c> names every shadow an environment had, and <c>shadow status --shadow ID</c> reads
/// any one of them as <c>shadow status</c> reads the last, pairs stored after its stop included.
/// </summary>
public sealed partial class ShadowService
{
    /// <summary>The shadow <paramref name="shadowId"/> of the environment; bad input (naming the shadows it had) when it had no such shadow.</summary>
    public async Task<ShadowReport> ReportAsync(string environment, string shadowId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shadowId);
        var spec = environments.Spec(environment);
        var history = await environmentStore.HistoryAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var starts = ShadowHistory.Starts(history).ToList();
        var started = starts.LastOrDefault(s => s.Shadow.ShadowId == shadowId);
        if (started is null)
        {
            var ids = starts.Select(s => s.Shadow.ShadowId).Reverse().ToList();
            throw new BadInputException(ids.Count == 0
                ? $"environment '{spec.Name}' has had no shadow, so none is '{shadowId}'; start one with: glidepath shadow start REF --env {spec.Name} --rate 0.1"
                : $"shadow '{shadowId}' is not one of {spec.Name}'s ({string.Join(", ", ids.Take(5))}{(ids.Count > 5 ? ", …" : "")}){(ClosestName.Of(shadowId, ids) is { } close ? $"; did you mean '{close}'?" : ";")} 'glidepath shadow list --env {spec.Name}' lists them");
        }

        return await CurrentReportAsync(spec.Name, started, history, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every shadow the environment had, newest first, each as <c>shadow status --shadow ID</c> reports it.</summary>
    public async Task<IReadOnlyList<ShadowReport>> ListAsync(string environment, CancellationToken cancellationToken)
    {
        var spec = environments.Spec(environment);
        var history = await environmentStore.HistoryAsync(manifest.App, spec.Name, cancellationToken).ConfigureAwait(false);
        var reports = new List<ShadowReport>();
        foreach (var started in ShadowHistory.Starts(history).Reverse())
        {
            reports.Add(await CurrentReportAsync(spec.Name, started, history, cancellationToken).ConfigureAwait(false));
        }

        return reports;
    }
}
