using System.Diagnostics;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Xunit.Abstractions;

namespace Glidepath.IntegrationTests;

/// <summary>
/// Issue 16: two <c>glidepath serve</c> processes on one PostgreSQL database, exactly one of them judging the rollout
/// (the lease). The leader is killed with SIGKILL after it has judged the first step; the other takes the lease when it
/// expires, waits out the settle window (the lease was not given up) and finishes the rollout. The rollout's decisions
/// and the environment's history show every step judged once and nothing lost.
/// </summary>
public sealed class ControllerFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Env = "production";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);

    // A guard against a hang, not a timing assertion: the survivor also waits out the 30 s settle window after it takes
    // over a lease that expired without being given up.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(90);

    private readonly HttpClient _http = new();
    private readonly List<string> _canarySubjects = [];
    private readonly List<string> _stableSubjects = [];
    private TestPostgres _db = null!;
    private SampleApp _app = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();
        // Tolerances for a sim whose answers take a millisecond (as RolloutTests), and three steps: 10% → 50% → 100%.
        _app = await SampleApp.CreateAsync(yaml => yaml
            .Replace("steps: [1, 5, 25, 50, 100]", "steps: [10, 50, 100]", StringComparison.Ordinal)
            .Replace("error_rate:    { max_increase: 0.01 }", "error_rate:    { max_increase: 0.03 }", StringComparison.Ordinal)
            .Replace("retry_rate:    { max_increase: 0.01 }", "retry_rate:    { max_increase: 0.03 }", StringComparison.Ordinal)
            .Replace("latency:       { max_ratio: 1.25 }", "latency:       { max_ratio: 4 }", StringComparison.Ordinal)
            .Replace("latency_p95:   { max_increase: 0.05 }", "latency_p95:   { max_increase: 0.3 }", StringComparison.Ordinal)
            .Replace("cost_per_call: { max_ratio: 1.15 }", "cost_per_call: { max_ratio: 3 }", StringComparison.Ordinal)
            .Replace("min_requests: 200", "min_requests: 100", StringComparison.Ordinal), storeLocation: _db.ConnectionString);
        Assert.Equal(0, (await _app.CliAsync("promote", "v1", "--env", Env)).Exit);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task LeaderKilledMidRollout_OtherGatewayTakesOverAndEveryStepIsJudgedOnce()
    {
        string[] fast = ["--controller-interval", "200ms", "--controller-lease", $"{Lease.TotalSeconds}s", "--poll-ms", "1000"];
        await using var a = await GatewayProcess.StartAsync(_app.ManifestPath, _db.ConnectionString, Env, fast);
        await using var b = await GatewayProcess.StartAsync(_app.ManifestPath, _db.ConnectionString, Env, fast);
        var start = await _app.CliAsync("rollout", "start", "v2", "--env", Env, "--force", "--reason", "failover test");
        Assert.True(start.Exit == 0, start.Err);

        var leaderHolder = await WaitForLeaseAsync(_ => true);
        var (leader, survivor) = HolderPid(leaderHolder) == a.Pid ? (a, b) : (b, a);
        Assert.Equal(leader.Pid, HolderPid(leaderHolder));

        // The leader judges step 1 (10%) safe and advances to 50%; the traffic goes to the other gateway, whose traces
        // the leader reads from the shared store.
        await TrafficUntilAsync(survivor, r => r.StepIndex >= 1 || !r.IsActive, leader);
        var beforeKill = (await _app.Store.Rollouts.LatestAsync("support-agent", Env, default))!;
        Assert.True(beforeKill.IsActive, $"the rollout ended before the kill: {beforeKill.State} {beforeKill.EndReason}");
        var leaderLease = (await _app.Store.Rollouts.LeaseAsync("support-agent", Env, default))!;
        leader.Kill();
        var killed = Stopwatch.StartNew();

        var newHolder = await WaitForLeaseAsync(h => HolderPid(h) == survivor.Pid);
        output.WriteLine($"lease taken over {killed.Elapsed.TotalMilliseconds:0} ms after kill -9 (lease {Lease.TotalSeconds:0} s)");
        await TrafficUntilAsync(survivor, r => !r.IsActive, survivor);

        var done = (await _app.Store.Rollouts.LatestAsync("support-agent", Env, default))!;
        Assert.True(done.State == RolloutState.Promoted, $"{done.State}: {done.EndReason}\n{survivor.Output}");
        Assert.Equal(survivor.Pid, HolderPid(newHolder));
        var decisions = await _app.Store.Rollouts.DecisionsAsync(done.Id, default);
        var judged = decisions.Where(d => d.Kind is RolloutDecisionKinds.Advance or RolloutDecisionKinds.Promote or RolloutDecisionKinds.Rollback).ToList();
        Assert.Equal([(RolloutDecisionKinds.Advance, 0), (RolloutDecisionKinds.Promote, 1)], judged.Select(d => (d.Kind, d.StepIndex)));

        // The leader was killed, not stopped: the survivor advanced nothing for the settle window after taking over. Had
        // the judge found the step safe within it, the hold is recorded once, saying why (RolloutSettleContract pins it).
        var settling = decisions.Where(d => d.Kind == RolloutDecisionKinds.Settling).ToList();
        Assert.True(settling.Count <= 1, string.Join("\n", settling.Select(d => d.Reason)));
        Assert.All(settling, d => Assert.Contains($"took over the lease of {leaderHolder}, which expired at", d.Reason, StringComparison.Ordinal));
        var promote = judged[^1];
        // The survivor took over after the leader's lease expired, which is no earlier than the expiry read before the kill.
        Assert.True(promote.Time >= leaderLease.ExpiresAt + TimeSpan.FromSeconds(30), $"promoted at {promote.Time:O}, within the settle window after the lease that expired at {leaderLease.ExpiresAt:O}");
        Assert.Equal(decisions.Select(d => d.Sequence).Order(), decisions.Select(d => d.Sequence));
        var history = await _app.Store.Environments.HistoryAsync("support-agent", Env, default);
        Assert.Equal(["rollout_started", "rollout_step", "rollout_promoted"], history.Where(e => e.Kind.StartsWith("rollout_", StringComparison.Ordinal)).Select(e => e.Kind));
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.Revision));
        var state = await _app.Store.Environments.GetAsync("support-agent", Env, default);
        Assert.Equal((await _app.Store.Releases.GetByVersionAsync("support-agent", 2, default))!.Id, state.StableReleaseId);
    }

    private static int HolderPid(string holder) => int.Parse(holder.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> WaitForLeaseAsync(Func<string, bool> condition)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (await _app.Store.Rollouts.LeaseAsync("support-agent", Env, default) is { } lease && condition(lease.Holder))
            {
                return lease.Holder;
            }

            Assert.True(waited.Elapsed < Hang, "no gateway took the lease");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends requests to <paramref name="gateway"/> (subjects chosen per arm, as RolloutTests does) until the rollout satisfies <paramref name="done"/>.</summary>
    private async Task TrafficUntilAsync(GatewayProcess gateway, Func<Rollout, bool> done, GatewayProcess judge)
    {
        var waited = Stopwatch.StartNew();
        for (var sent = 0; ; sent++)
        {
            if (sent % 50 == 0)
            {
                var rollout = (await _app.Store.Rollouts.LatestAsync("support-agent", Env, default))!;
                if (done(rollout))
                {
                    return;
                }

                if (waited.Elapsed >= Hang)
                {
                    var (canary, stable, _, _) = await RolloutArms.StepAsync(_app.Store.Traces, rollout, default);
                    var judged = new Judge(JudgePolicy.From(rollout.Plan)).Decide(canary, stable, TimeSpan.Zero);
                    Assert.Fail($"the rollout is stuck at {rollout.State} step {rollout.StepIndex + 1} (canary {canary.Requests}, stable {stable.Requests} requests: {judged.Reason}); the judging gateway said:\n{judge.ControllerLines}");
                }

                Assert.True(waited.Elapsed < Hang, $"the rollout is stuck at {rollout.State} step {rollout.StepIndex + 1}; the judging gateway said:\n{judge.ControllerLines}");
                if (!await ChooseSubjectsAsync())
                {
                    continue;
                }
            }

            // Every subject of an arm equally often: the judge weighs evidence per subject.
            var subject = sent % 2 == 0 ? _canarySubjects[(sent / 2) % _canarySubjects.Count] : _stableSubjects[(sent / 2) % _stableSubjects.Count];
            using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/v1/chat/completions")
            {
                Content = SampleApp.Json("""{"model":"support-agent","messages":[{"role":"user","content":"How long does shipping take?"}]}"""),
            };
            request.Headers.Add("Glidepath-Subject", subject);
            using var response = await _http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}\n{gateway.Output}");
        }
    }

    private async Task<bool> ChooseSubjectsAsync()
    {
        var state = await _app.Store.Environments.GetAsync("support-agent", Env, default);
        if (state.Canary is not { } split)
        {
            return _canarySubjects.Count > 0;
        }

        _canarySubjects.Clear();
        _stableSubjects.Clear();
        for (var i = 0; _canarySubjects.Count < 48 || _stableSubjects.Count < 64; i++)
        {
            var subject = $"subject-{i}";
            var pool = StickySplit.IsCanary(StickySplit.Bucket(subject, split.Seed), split.Weight) ? _canarySubjects : _stableSubjects;
            if (pool.Count < (pool == _canarySubjects ? 48 : 64))
            {
                pool.Add(subject);
            }
        }

        return true;
    }
}
