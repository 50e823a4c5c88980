using System.Net;
using Glidepath.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.IntegrationTests;

/// <summary>
/// Issue 16: on PostgreSQL a rollback is pushed (LISTEN/NOTIFY), not polled. The gateway polls once an hour here, so
/// only the notice can explain that it serves the rollback; the test waits on the routing table's change token.
/// </summary>
public sealed class PostgresRollbackPushTests : IAsyncLifetime
{
    private static readonly TimeSpan HourLongPoll = TimeSpan.FromHours(1);

    // A guard against a hang, not a timing assertion: without the notice nothing would change for an hour.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http = new();
    private TestPostgres _db = null!;
    private SampleApp _app = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        _app = await SampleApp.CreateAsync(storeLocation: _db.ConnectionString);
        Assert.Equal(0, (await _app.CliAsync("deploy", "v2", "--env", "staging")).Exit);
        _app.ShowRoutingHeaders();
        await _app.StartGatewayAsync(pollInterval: HourLongPoll);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task CliRollback_GatewayOnPostgresPollingHourly_ServesThePreviousReleaseOnTheNotice()
    {
        var routing = _app.Gateway.Services.GetRequiredService<RoutingTableSource>();
        Assert.Equal(await _app.ReleaseLabelAsync(2), await ServedReleaseAsync());
        var before = routing.Current!.Revision;

        var swapped = await RolledBackAsync(routing, () => _app.CliAsync("rollback", "--env", "staging", "--reason", "notify test"));

        Assert.Equal(before + 1, swapped.Revision);
        Assert.Equal(await _app.ReleaseLabelAsync(1), swapped.Stable!.Label);
        Assert.Equal(await _app.ReleaseLabelAsync(1), await ServedReleaseAsync());
    }

    [Fact]
    public async Task ThreeRollbacksAndDeploysInARow_GatewayFollowsEachOnItsNotice()
    {
        var routing = _app.Gateway.Services.GetRequiredService<RoutingTableSource>();

        for (var i = 0; i < 3; i++)
        {
            var back = await RolledBackAsync(routing, () => _app.CliAsync("rollback", "--env", "staging", "--reason", $"round {i}"));
            Assert.Equal(await _app.ReleaseLabelAsync(1), back.Stable!.Label);
            var forward = await RolledBackAsync(routing, () => _app.CliAsync("deploy", "v2", "--env", "staging"));
            Assert.Equal(await _app.ReleaseLabelAsync(2), forward.Stable!.Label);
        }

        Assert.Equal(await _app.ReleaseLabelAsync(2), await ServedReleaseAsync());
    }

    // Runs a CLI change and waits until the gateway's routing table reaches the revision the change committed.
    private async Task<RoutingTable> RolledBackAsync(RoutingTableSource routing, Func<Task<(int Exit, string Out, string Err)>> change)
    {
        var (exit, _, err) = await change();
        Assert.True(exit == 0, err);
        var target = await _app.Store.Environments.GetRevisionAsync("support-agent", "staging", default);
        while (routing.Current!.Revision < target)
        {
            var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (routing.ChangeToken.Register(() => changed.TrySetResult()))
            {
                if (routing.Current!.Revision >= target)
                {
                    break;
                }

                await changed.Task.WaitAsync(Hang);
            }
        }

        return routing.Current!;
    }

    private async Task<string> ServedReleaseAsync()
    {
        using var response = await _http.PostAsync(_app.Url + "/v1/chat/completions",
            SampleApp.Json("""{"model":"support-agent","messages":[{"role":"user","content":"How long does shipping take?"}]}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Glidepath-Release").Single();
    }
}
