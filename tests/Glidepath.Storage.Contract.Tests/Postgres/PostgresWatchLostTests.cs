using System.Collections.Concurrent;
using Glidepath.Storage.Postgres;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// Trial pgoutage LOW 4: a gateway's <c>/readyz</c> said <c>changes: "pushed"</c> through a whole outage, its LISTEN
/// connection terminated (57P01) at its start. The watch says so (<see cref="RevisionNotice.Lost"/>, which the push
/// check turns into <c>polling (push connection lost, reconnecting)</c>: PushCheckTests), and resyncs once it listens again.
/// </summary>
public sealed class PostgresWatchLostTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    // A guard against a hang, not a timing assertion.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static readonly PostgresStoreProvider Provider = new();

    [Fact]
    public async Task WatchAsync_ItsConnectionTerminated_ReportsLostThenResyncsWhenListeningAgain()
    {
        var schema = "s_" + Guid.NewGuid().ToString("N");
        var location = PostgresTestServer.For(database.Name, schema).ConnectionString;
        await using var store = (PostgresStore)await Provider.OpenAsync(location, create: true, TimeProvider.System, default);
        var notices = new BlockingCollection<RevisionNotice>();
        using var stop = new CancellationTokenSource();
        var watch = Task.Run(() => store.WatchAsync(notices.Add, stop.Token));
        try
        {
            Assert.True(notices.TryTake(out var first, Hang), "the watch never listened");
            Assert.True(first.IsResync);

            // What a server stopping does to every session (57P01), here to the watch's alone: its LISTEN names the schema.
            var terminated = await PostgresTestServer.ScalarAsync(database.Name,
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE 'LISTEN \"{schema}_changes\"%'");
            Assert.Equal(1L, Convert.ToInt64(terminated, System.Globalization.CultureInfo.InvariantCulture));

            Assert.True(notices.TryTake(out var lost, Hang), "the watch never said its connection was lost");
            Assert.True(lost.IsLost);
            Assert.False(lost.Concerns("app", "production"));
            Assert.True(notices.TryTake(out var again, Hang), "the watch never listened again");
            Assert.True(again.IsResync);
        }
        finally
        {
            await stop.CancelAsync();
            await watch;
        }
    }
}
