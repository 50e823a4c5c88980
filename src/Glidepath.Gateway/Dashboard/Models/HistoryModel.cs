using System.Globalization;
using Glidepath.Environments;
using Glidepath.Errors;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>
/// One page of an environment's history, newest first: at most <see cref="PageSize"/> events with a revision below
/// <see cref="Before"/> (or the newest, without it), and the cursor of the next older page.
/// </summary>
/// <param name="Older">The <c>before</c> of the next older page (the oldest revision shown), or null when nothing is older.</param>
/// <param name="Total">How many events the environment has in all.</param>
public sealed record HistoryModel(IReadOnlyList<EnvironmentEventView> Events, long? Before, long? Older, int Total)
{
    /// <summary>Events per page: a page of a long-lived environment stays small (800 events would be one very long page).</summary>
    public const int PageSize = 100;

    /// <summary>
    /// The page of <paramref name="history"/> (oldest first, as the store returns it) below <paramref name="before"/>,
    /// turned newest first: a timeline reads from the top.
    /// </summary>
    public static HistoryModel Page(IReadOnlyList<EnvironmentEvent> history, long? before, EnvironmentViews names)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(names);
        var end = history.Count;
        while (before is { } b && end > 0 && history[end - 1].Revision >= b)
        {
            end--;
        }

        var start = Math.Max(0, end - PageSize);
        var events = new List<EnvironmentEventView>(end - start);
        for (var i = end - 1; i >= start; i--)
        {
            events.Add(names.Event(history[i]));
        }

        return new HistoryModel(events, before, start > 0 ? history[start].Revision : null, history.Count);
    }

    /// <summary>
    /// The <c>before</c> cursor of a history link: a revision (a whole number from 1), or null for the newest page. Any
    /// other value is refused with a 400 naming it, never read as "the newest": a page that silently showed other events
    /// than the ones asked for would mislead.
    /// </summary>
    internal static long? ParseBefore(string value) =>
        value.Length == 0 ? null
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) && revision >= 1 ? revision
        : throw new BadInputException($"history cursor 'before' is '{(value.Length <= 40 ? value : value[..40] + "…")}'; expected a revision (a whole number from 1, as the 'Older events' link gives); no events are shown");
}
