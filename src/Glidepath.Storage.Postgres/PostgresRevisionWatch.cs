using Glidepath.Storage;
using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// LISTENs on the store's channel (<c>&lt;schema&gt;_changes</c>, fed by the triggers of migration 0010) on a dedicated,
/// unpooled connection. After every (re)connection it reports <see cref="RevisionNotice.Resync"/>, so what changed while
/// it was not listening is re-read; every failed connection (or attempt) it reports as
/// <see cref="RevisionNotice.Lost"/>. A quiet connection is checked with <c>SELECT 1</c> every <see cref="Heartbeat"/>, so a
/// network that silently drops packets is noticed and the watch reconnects. Whether notices arrive at all (a pooler in
/// transaction mode takes the LISTEN, then never delivers) is not something this connection can tell: serving checks it
/// with probes (<see cref="IRevisionWatch.ProbeAsync"/>).
/// </summary>
/// <param name="channel">The channel to LISTEN on; null: the store's (<see cref="ChannelOf"/>). Tests make a deaf watch with another.</param>
internal sealed class PostgresRevisionWatch(PostgresLocation location, string? channel = null)
{
    public static TimeSpan Heartbeat { get; } = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    public string Channel => channel ?? ChannelOf(location);

    /// <summary>The channel the triggers of migration 0010 (and probes) NOTIFY for the store at <paramref name="at"/>.</summary>
    public static string ChannelOf(PostgresLocation at) => at.Schema + "_changes";

    public async Task WatchAsync(Action<RevisionNotice> changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var settings = new NpgsqlConnectionStringBuilder(location.Settings.ConnectionString) { Pooling = false, CommandTimeout = 5 };
        var retry = FirstRetry;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) => changed(Parse(e.Payload));
                await using (var listen = new NpgsqlCommand($"LISTEN \"{Channel}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                // Listening from here on: anything committed before is read by the resync, anything after is notified.
                changed(RevisionNotice.Resync);
                retry = FirstRetry;
                while (true)
                {
                    if (!await connection.WaitAsync(Heartbeat, cancellationToken).ConfigureAwait(false))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                // Unreachable or dropped: the poll of whoever watches keeps going (and reports stale); try again later.
                // Said to whoever watches, so that nobody reports changes as pushed meanwhile (trial pgoutage LOW 4).
                changed(RevisionNotice.Lost);
                try
                {
                    await Task.Delay(retry, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }
    }

    private static RevisionNotice Parse(string payload)
    {
        var tab = payload.IndexOf('\t', StringComparison.Ordinal);
        return tab < 0 ? RevisionNotice.Resync : new RevisionNotice(payload[..tab], payload[(tab + 1)..]);
    }
}
