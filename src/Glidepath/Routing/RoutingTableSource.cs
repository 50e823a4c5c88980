namespace Glidepath.Routing;

/// <summary>
/// Holds the current <see cref="RoutingTable"/> and swaps it atomically (the shape of YARP's config provider:
/// an immutable snapshot plus a change token). Readers never lock; a swap cancels the previous token.
/// </summary>
public sealed class RoutingTableSource
{
    private State? _state;

    /// <summary>The current table, or null before the first load.</summary>
    public RoutingTable? Current => Volatile.Read(ref _state)?.Table;

    /// <summary>Cancelled when the current table is replaced; a fresh token comes with the next table.</summary>
    public CancellationToken ChangeToken => Volatile.Read(ref _state)?.Changed.Token ?? CancellationToken.None;

    /// <summary>
    /// Swaps in <paramref name="table"/> unless it is older than the current one (or, with
    /// <paramref name="fromAnotherStore"/>, whatever its revision: revisions of a replaced store do not continue the
    /// old one's); returns whether it did.
    /// </summary>
    public bool Update(RoutingTable table, bool fromAnotherStore = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (current is not null && current.Table.Revision > table.Revision && !fromAnotherStore)
            {
                return false;
            }

            var next = new State(table, new CancellationTokenSource());
            if (Interlocked.CompareExchange(ref _state, next, current) == current)
            {
                // Not disposed: a reader may still hold the old state and ask for its token.
                current?.Changed.Cancel();
                return true;
            }

            next.Changed.Dispose();
        }
    }

    private sealed record State(RoutingTable Table, CancellationTokenSource Changed);
}
