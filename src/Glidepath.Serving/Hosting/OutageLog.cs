namespace Glidepath.Serving.Hosting;

/// <summary>
/// Whether a failure that repeats on every pass is news: the first failure of an outage is, and so is the first success
/// after it; the passes in between are not (a store outage logged a warning every pass, 18 lines in 30 s). One caller
/// at a time: a background service's loop.
/// </summary>
internal sealed class OutageLog
{
    private bool _failing;

    /// <summary>A pass failed: true when it is the first of an outage (log it).</summary>
    public bool Failed()
    {
        var first = !_failing;
        _failing = true;
        return first;
    }

    /// <summary>A pass succeeded: true when it ends an outage (log the recovery).</summary>
    public bool Succeeded()
    {
        var recovered = _failing;
        _failing = false;
        return recovered;
    }
}
