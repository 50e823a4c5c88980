using Glidepath.Environments;
using Glidepath.Errors;

namespace Glidepath.Storage;

/// <summary>
/// The mark a <c>glidepath store copy</c> keeps in its target (table <see cref="Table"/>) from before it fills the store
/// until the commit that fills it. A store that still has it was cut short (a kill, a lost connection): it holds a
/// fresh identity and no data, and would otherwise pass for an ordinary new store. Every open but the copy's refuses it.
/// </summary>
/// <param name="Source">The store copied from, as written: its password masked (<see cref="Begin"/>).</param>
/// <param name="StartedAt">When the copy started, ISO 8601 UTC.</param>
public sealed record UnfinishedCopy(string Source, string StartedAt)
{
    /// <summary>The table, in both stores' schemas (migration 0027), that holds the mark: one row while a copy is unfinished.</summary>
    public const string Table = "unfinished_copy";

    // A row someone wrote by hand is shown, not trusted: no control characters, and not a page of text.
    private const int MaxShown = 300;

    /// <summary>The mark of a copy from <paramref name="source"/> that starts at <paramref name="now"/>; a password in the source is masked.</summary>
    public static UnfinishedCopy Begin(string source, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return new UnfinishedCopy(StoreProviders.Redacted(source), Sql.TraceRows.Iso(now));
    }

    /// <summary>
    /// Why the store at <paramref name="location"/> (shown as given: it must carry no password) is not opened: exit 3, and
    /// the two ways out. The stored values are masked and escaped again, as a row may have been written by anyone.
    /// </summary>
    public OperationalException Refusal(string location) =>
        new($"{location} is the target of a 'glidepath store copy' that did not finish (started {Shown(StartedAt)} from {Shown(StoreProviders.Redacted(Source))}); "
            + "run the same 'glidepath store copy' again to finish it, or delete it (nothing was read or written)");

    private static string Shown(string value)
    {
        var escaped = RecordedText.Escaped(value);
        return escaped.Length > MaxShown ? escaped[..MaxShown] + "…" : escaped;
    }
}
