namespace Glidepath.Serving.Hosting;

/// <summary>
/// Whether a failure that repeats on every pass is news: the first failure of an outage is, and so is the first success
/// after it; the passes in between are not (a store outage logged a warning every pass, 18 lines in 30 s). One caller
/// at a time: a background service's loop.
/// </summary>
internal sealed class OutageLog
{
    private bool _failing;
    private string? _kind;

    /// <summary>
    /// A pass failed: true when it is the first of an outage, or when it failed another way than the last (a
    /// <paramref name="kind"/>, such as the exception's type, that differs): log it. A different error that begins while
    /// the first goes on is news too.
    /// </summary>
    public bool Failed(string? kind = null)
    {
        var news = !_failing || (kind is not null && !string.Equals(kind, _kind, StringComparison.Ordinal));
        (_failing, _kind) = (true, kind);
        return news;
    }

    /// <summary>A pass succeeded: true when it ends an outage (log the recovery).</summary>
    public bool Succeeded()
    {
        var recovered = _failing;
        (_failing, _kind) = (false, null);
        return recovered;
    }
}
