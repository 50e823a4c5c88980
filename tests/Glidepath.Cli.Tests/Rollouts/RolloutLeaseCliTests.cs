using System.Text.RegularExpressions;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Rollouts;

/// <summary>
/// What <c>rollout status</c> says of the controller's lease: who judges and until when while it is renewed; that it
/// expired, how long ago, and what takes over once its holder stopped renewing it (text and JSON).
/// </summary>
public sealed partial class RolloutLeaseCliTests
{
    // A trial: with the holder dead, the line named the expiry time only, not that it lay in the past nor what happens
    // next; the JSON had no way to tell an expired lease but to compare its expiry with a clock of one's own.
    [Fact]
    public async Task Status_LeaseOfADeadHolderExpired_SaysHowLongAgoAndThatTheNextControllerTakesOver()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await LeaseAsync(app, "vm:4242:dead", expiresAt: DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2));

        var (code, text, _) = await app.RunAsync("rollout", "status", "--env", "production");
        var controller = (await app.JsonAsync("rollout", "status", "--env", "production")).GetProperty("controller");

        Assert.Equal(0, code);
        Assert.Matches(ExpiredLine(), text);
        Assert.Contains("the next controller to tick takes over (a running 'glidepath serve --env production' or 'glidepath controller --env production')", text, StringComparison.Ordinal);
        Assert.DoesNotContain("judged by", text, StringComparison.Ordinal);
        Assert.Equal("vm:4242:dead", controller.GetProperty("holder").GetString());
        Assert.False(controller.GetProperty("judging").GetBoolean());
        Assert.True(controller.GetProperty("lease_expires_at").GetDateTimeOffset() < DateTimeOffset.UtcNow);
        Assert.InRange(controller.GetProperty("lease_expired_for_ms").GetDouble(), TimeSpan.FromMinutes(2).TotalMilliseconds, TimeSpan.FromHours(1).TotalMilliseconds);
    }

    [Fact]
    public async Task Status_LeaseRenewed_JudgedByItsHolder_AndNoExpiryAgo()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");
        await LeaseAsync(app, "vm:4242:alive", expiresAt: DateTimeOffset.UtcNow + TimeSpan.FromHours(1));

        var (_, text, _) = await app.RunAsync("rollout", "status", "--env", "production");
        var controller = (await app.JsonAsync("rollout", "status", "--env", "production")).GetProperty("controller");

        Assert.Contains("judged by vm:4242:alive (controller lease renewed, valid until", text, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", text, StringComparison.Ordinal);
        Assert.True(controller.GetProperty("judging").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, controller.GetProperty("lease_expired_for_ms").ValueKind);
    }

    [Fact]
    public async Task Status_NoLease_NamesBothProcessesThatWouldJudgeIt()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await app.OkAsync("rollout", "start", "v2", "--env", "production");

        var (_, text, _) = await app.RunAsync("rollout", "status", "--env", "production");

        Assert.Contains("nobody is judging this rollout (no controller has taken the lease): it neither advances nor rolls back until 'glidepath serve --env production' or 'glidepath controller --env production' runs", text, StringComparison.Ordinal);
    }

    // Newcomer trial L4: with no gateway or controller running, 'rollout start' said "… judges it" and warned of nothing;
    // only 'rollout status' said that nobody was judging the rollout.
    [Fact]
    public async Task Start_NoControllerHoldsTheLease_WarnsInTextAndJsonAndClaimsNoJudge()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await LeaseAsync(app, "vm:4242:dead", expiresAt: DateTimeOffset.UtcNow - TimeSpan.FromMinutes(2));

        var (code, stdout, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("rollout", "abort", "--env", "production", "--reason", "again as JSON");
        var json = await app.JsonAsync("rollout", "start", "v2", "--env", "production");

        Assert.True(code == 0, stderr);
        Assert.Contains("warning: no controller holds the lease of production (the last, vm:4242:dead's, expired", stderr, StringComparison.Ordinal);
        Assert.Contains("so nobody is judging this rollout: it neither advances nor rolls back until", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("judges it", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("judged by", stdout, StringComparison.Ordinal);
        Assert.Contains("warning: no controller holds the lease of production", json.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("judged_by").ValueKind);
    }

    [Fact]
    public async Task Start_AControllerHoldsTheLease_NamesItAndNoLeaseWarning()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await LeaseAsync(app, "vm:4242:alive", expiresAt: DateTimeOffset.UtcNow + TimeSpan.FromHours(1));

        var (code, stdout, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");
        await app.OkAsync("rollout", "abort", "--env", "production", "--reason", "again as JSON");
        var json = await app.JsonAsync("rollout", "start", "v2", "--env", "production");

        Assert.True(code == 0, stderr);
        Assert.Contains("judged by vm:4242:alive, the controller holding the lease of production", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("no controller holds", stderr, StringComparison.Ordinal);
        Assert.Equal("vm:4242:alive", json.GetProperty("judged_by").GetString());
    }

    // The README demo: right after 'rollout start' its 'rollout status' warned "nobody is judging this rollout" and the
    // start noted that no controller held the lease, though its gateways ran controllers; they took the lease only once
    // a rollout was active. A controller's pass with no rollout active now holds it.
    [Fact]
    public async Task Start_AfterAPassOfTheEnvironmentsController_SaysJudgedByItAndStatusDoesNotWarn()
    {
        await using var app = await RolloutCliTests.ReadyAsync();
        await using (var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None))
        {
            var options = new Glidepath.Rollouts.RolloutControllerOptions { Holder = "vm:4242:serving", App = "support-agent", Environment = "production", LeaseDuration = TimeSpan.FromHours(1) };
            Assert.Empty(await new Glidepath.Rollouts.RolloutController(store.Rollouts, store.Environments, store.Traces, TimeProvider.System, options).TickAsync(CancellationToken.None));
        }

        var (code, stdout, stderr) = await app.RunAsync("rollout", "start", "v2", "--env", "production");
        var (_, status, _) = await app.RunAsync("rollout", "status", "--env", "production");

        Assert.True(code == 0, stderr);
        Assert.Contains("judged by vm:4242:serving, the controller holding the lease of production", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("no controller holds", stderr, StringComparison.Ordinal);
        Assert.Contains("judged by vm:4242:serving (controller lease renewed, valid until", status, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody is judging", status, StringComparison.Ordinal);
    }

    /// <summary>A lease as a controller takes it: <paramref name="expiresAt"/> is its last renewal plus the lease's duration.</summary>
    private static async Task LeaseAsync(Environments.EnvApp app, string holder, DateTimeOffset expiresAt)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var duration = TimeSpan.FromSeconds(30);
        Assert.True(await store.Rollouts.TryAcquireLeaseAsync("support-agent", "production", holder, duration, expiresAt - duration, CancellationToken.None));
    }

    [GeneratedRegex(@"warning: the lease of vm:4242:dead expired (\d+m\d+s|\d+h\d+m) ago \(at \d\d:\d\d:\d\d UTC\), so nobody is judging this rollout")]
    private static partial Regex ExpiredLine();
}
