using System.Collections.Concurrent;
using Glidepath.Storage.Postgres;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// The probe a host sends to check that the store's pushed changes reach it (behind a pooler in transaction mode they
/// do not, while the LISTEN succeeds): a NOTIFY on the store's channel from a pooled connection, which every watch on
/// the store receives as a notice that concerns no environment.
/// </summary>
public sealed class PostgresProbeTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>
{
    // A guard against a hang, not a timing assertion.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static readonly PostgresStoreProvider Provider = new();

    [Fact]
    public async Task ProbeAsync_FromAnotherProcess_ReachesTheWatch_AsANoticeConcerningNoEnvironment()
    {
        var location = PostgresTestServer.For(database.Name, "s_" + Guid.NewGuid().ToString("N")).ConnectionString;
        await using var watching = (PostgresStore)await Provider.OpenAsync(location, create: true, TimeProvider.System, default);
        await using var probing = (PostgresStore)await Provider.OpenAsync(location, create: false, TimeProvider.System, default);
        var notices = new BlockingCollection<RevisionNotice>();
        using var stop = new CancellationTokenSource();
        var watch = Task.Run(() => watching.WatchAsync(notices.Add, stop.Token));
        try
        {
            Assert.True(notices.TryTake(out var first, Hang), "the watch never listened");
            Assert.True(first.IsResync);

            await probing.ProbeAsync("3f9c2a1b", default);

            Assert.True(notices.TryTake(out var probe, Hang), "the probe never came back");
            Assert.Equal("3f9c2a1b", probe.ProbeToken);
            Assert.False(probe.IsResync);
            Assert.False(probe.Concerns("app", "production"));
        }
        finally
        {
            await stop.CancelAsync();
            await watch;
        }
    }
}
