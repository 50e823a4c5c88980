using Microsoft.AspNetCore.Connections;

namespace Glidepath.Gateway.Hosting;

/// <summary>
/// A cap on the connections open at once on one listener (its URLs together): a connection beyond it is closed as it is
/// accepted, before a byte is read. Kestrel's own cap is one for the whole server,
/// so it could not keep slow connections to the admin port from taking what the traffic port needs.
/// </summary>
internal sealed class ConnectionCap(int max)
{
    private int _open;

    /// <summary>The connection middleware (<c>ListenOptions.Use</c>).</summary>
    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > max)
        {
            Interlocked.Decrement(ref _open);
            connection.Abort(new ConnectionAbortedException($"more than {max} connections open on this port"));
            return;
        }

        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };
}
