namespace Glidepath.Serving.Hosting;

/// <summary>
/// How long the work left at a stop (writing queued traces, scoring, storing shadow pairs) may take: until the host's
/// shutdown timeout ends (the token its <c>StopAsync</c> was given), and never less than <see cref="Floor"/> from when
/// that work began, so what requests answered in the timeout's last moments (or aborted when it ended) left behind still
/// gets its turn. A host token that cannot be cancelled sets no limit of its own: the floor alone applies.
/// </summary>
internal sealed class StopDeadline : IDisposable
{
    /// <summary>The least time the work left at a stop gets, whatever is left of the host's shutdown timeout.</summary>
    public static readonly TimeSpan Floor = TimeSpan.FromSeconds(5);

    private readonly CancellationToken _host;
    private readonly CancellationTokenSource _floor;
    private readonly CancellationTokenSource _both = new();
    private readonly CancellationTokenRegistration _onHost;
    private readonly CancellationTokenRegistration _onFloor;

    /// <param name="floor">
    /// The least time this work gets (default <see cref="Floor"/>). Work that runs before other work of the same stop (the
    /// online scorer hands its traces to the trace writer) takes none when the host has a timeout, so the floors of
    /// one stop do not add up: the stop then ends at most one <see cref="Floor"/> past the host's timeout.
    /// </param>
    public StopDeadline(CancellationToken host, TimeProvider time, TimeSpan? floor = null)
    {
        _host = host;
        _floor = new CancellationTokenSource(host.CanBeCanceled ? floor ?? Floor : Floor, time);
        _onHost = host.Register(Check);
        _onFloor = _floor.Token.Register(Check);
    }

    /// <summary>Cancelled once both the host's timeout and the floor have passed.</summary>
    public CancellationToken Token => _both.Token;

    public void Dispose()
    {
        _onHost.Dispose();
        _onFloor.Dispose();
        _floor.Dispose();
        _both.Dispose();
    }

    private void Check()
    {
        if (_floor.IsCancellationRequested && (!_host.CanBeCanceled || _host.IsCancellationRequested))
        {
            _both.Cancel();
        }
    }
}
