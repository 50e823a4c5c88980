using System.Net;
using System.Text.Json;
using Glidepath.Gateway;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Glidepath.Serving;

namespace Glidepath.IntegrationTests;

/// <summary>
/// Rollouts end to end: the sim provider, a real gateway on 127.0.0.1 running the rollout controller, a real
/// SQLite store, and traffic from an HTTP client. To keep the test fast the client chooses its subjects: it finds
/// subjects the sticky split puts on the canary (from the Glidepath-Arm header) and sends each arm the requests a
/// step needs, instead of waiting for 1% of random traffic to add up.
/// </summary>
public sealed class RolloutTests : IAsyncLifetime
{
    // 0 errors in 600 canary requests shows the error rate within +0.03 at every look (150 would not).
    private const int CanaryPerStep = 600;
    private const int StablePerStep = 600;
    private SampleApp _app = null!;
    private GatewayServer? _gateway;
    private ModelClientFactory? _models;
    private readonly HttpClient _http = new();
    private readonly List<string> _canarySubjects = [];
    private readonly List<string> _stableSubjects = [];

    public async Task InitializeAsync()
    {
        // Tolerances for a sim whose answers take a millisecond; the rest of the plan comes from the sample manifest.
        _app = await SampleApp.CreateAsync(yaml => yaml
            .Replace("error_rate:    { max_increase: 0.01 }", "error_rate:    { max_increase: 0.03 }", StringComparison.Ordinal)
            .Replace("retry_rate:    { max_increase: 0.01 }", "retry_rate:    { max_increase: 0.03 }", StringComparison.Ordinal)
            .Replace("latency:       { max_ratio: 1.25 }", "latency:       { max_ratio: 4 }", StringComparison.Ordinal)
            .Replace("latency_p95:   { max_increase: 0.05 }", "latency_p95:   { max_increase: 0.3 }", StringComparison.Ordinal)
            .Replace("cost_per_call: { max_ratio: 1.15 }", "cost_per_call: { max_ratio: 3 }", StringComparison.Ordinal)
            .Replace("min_requests: 200", "min_requests: 100", StringComparison.Ordinal));
        Assert.Equal(0, (await _app.CliAsync("promote", "v1", "--env", "production")).Exit);
        _app.ShowRoutingHeaders();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await StopGatewayAsync();
        await _app.DisposeAsync();
    }

    private async Task StartGatewayAsync(string holder)
    {
        _models ??= new ModelClientFactory(TimeProvider.System, PriceTable.For(_app.Manifest));
        _gateway = await GatewayServer.StartAsync(ServingOptions.For(_app.Store, _app.Manifest, "production", _models) with
        {
            Monitor = null,
            RolloutController = new RolloutControllerOptions
            {
                Holder = holder,
                Interval = TimeSpan.FromMilliseconds(200),
                LeaseDuration = TimeSpan.FromSeconds(3),
                App = _app.Manifest.App,
                Environment = "production",
            },
            PollInterval = TimeSpan.FromMilliseconds(100),
        }, new GatewayServerOptions { Urls = ["http://127.0.0.1:0"], LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning }, CancellationToken.None);
    }

    private async Task StopGatewayAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
            _gateway = null;
        }
    }

    /// <summary>One chat request as <paramref name="subject"/>; returns the arm that served it and the HTTP status.</summary>
    private async Task<(string Arm, HttpStatusCode Status)> SendAsync(string subject)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _gateway!.Urls[0] + "/v1/chat/completions")
        {
            Content = SampleApp.Json("""{"model":"support-agent","messages":[{"role":"user","content":"How long does shipping take?"}]}"""),
        };
        request.Headers.Add("Glidepath-Subject", subject);
        using var response = await _http.SendAsync(request);
        return (response.Headers.GetValues("Glidepath-Arm").Single(), response.StatusCode);
    }

    /// <summary>
    /// Sends requests until the canary arm served <paramref name="canary"/> and the stable arm <paramref name="stable"/>,
    /// spread over many subjects: the judge counts evidence per subject and decides nothing before each arm has
    /// min_subjects effective subjects. Subjects are chosen with the documented split (sha256 of key + seed against
    /// the weight), and every response's Glidepath-Arm header confirms where it was really served.
    /// </summary>
    private async Task TrafficAsync(int canary, int stable)
    {
        if (!await ChooseSubjectsAsync())
        {
            return;
        }

        int c = 0, s = 0, sent = 0, mismatches = 0;
        while (c < canary || s < stable)
        {
            // Once the canary is gone (rolled back or promoted) no request can reach it: stop.
            if (++sent % 50 == 0 && !(await _app.Store.Rollouts.LatestAsync("support-agent", "production", default))!.IsActive)
            {
                return;
            }

            Assert.True(sent < (canary + stable) * 20, $"traffic never reached the canary: {c}/{canary} canary, {s}/{stable} stable after {sent} requests");
            var toCanary = c < canary && (s >= stable || sent % 3 == 0);
            var subject = toCanary ? _canarySubjects[c % _canarySubjects.Count] : _stableSubjects[s % _stableSubjects.Count];
            var (arm, _) = await SendAsync(subject);
            if (arm == "canary")
            {
                c++;
            }
            else
            {
                s++;
            }

            // The judge widened the canary meanwhile (a stable subject is on the canary now): choose again.
            if ((arm == "canary") != toCanary && ++mismatches % 10 == 0 && !await ChooseSubjectsAsync())
            {
                return;
            }
        }
    }

    /// <summary>48 subjects the split puts on the canary and 64 it keeps on stable, at the store's current weight.</summary>
    private async Task<bool> ChooseSubjectsAsync()
    {
        var state = await _app.Store.Environments.GetAsync("support-agent", "production", default);
        if (state.Canary is not { } split)
        {
            return false;
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

    private async Task<Rollout> WaitForAsync(Func<Rollout, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var rollout = (await _app.Store.Rollouts.LatestAsync("support-agent", "production", default))!;
            if (condition(rollout))
            {
                return rollout;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var (canary, stable, _, _) = await RolloutArms.StepAsync(_app.Store.Traces, rollout, default);
                var judge = new Judge(JudgePolicy.From(rollout.Plan)).Decide(canary, stable, TimeSpan.Zero);
                Assert.Fail($"timed out waiting for {what}; rollout is {rollout.State} at step {rollout.StepIndex + 1}; the judge says: {judge.Reason}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits for the judge to move on from <paramref name="step"/>, sending more traffic while it has not, as live traffic
    /// would: online scores are sampled at random (<c>sample_rate: 0.2</c>) and scored in the background, so the step's
    /// requests may give online_score too few observations or subjects to judge (seen on a loaded machine: 108 canary
    /// scores from fewer than 20 effective subjects), and then only more traffic decides it.
    /// </summary>
    private async Task AdvancedAsync(int step)
    {
        bool Moved(Rollout r) => r.StepIndex > step || r.State != RolloutState.Progressing;
        for (var round = 0; round < 10; round++)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (DateTime.UtcNow < deadline)
            {
                if (Moved((await _app.Store.Rollouts.LatestAsync("support-agent", "production", default))!))
                {
                    return;
                }

                await Task.Delay(100);
            }

            await TrafficAsync(CanaryPerStep / 4, StablePerStep / 4);
        }

        await WaitForAsync(Moved, $"the judge to advance from step {step + 1}");
    }

    [Fact]
    public async Task GoodRelease_GoesThroughEveryStepAcrossAGatewayRestartAndBecomesStable()
    {
        await StartGatewayAsync("gw-a");
        var start = await _app.CliAsync("rollout", "start", "v2", "--env", "production", "--force", "--reason", "integration test");
        Assert.True(start.Exit == 0, start.Err);
        var weights = new List<double>();

        var restarted = false;
        for (var step = 0; step < 4; step++)
        {
            // Requests still in flight when a step begins count for that step, so the judge may move on
            // before this loop looks; the history below proves every step was taken.
            var current = await WaitForAsync(r => r.StepIndex >= step || !r.IsActive, $"step {step + 1}");
            if (!current.IsActive || current.StepIndex > step)
            {
                continue;
            }

            weights.Add(current.Weight);
            await TrafficAsync(CanaryPerStep, StablePerStep);
            if (step >= 1 && !restarted)
            {
                restarted = true;
                // Restart mid-rollout: a new gateway (another lease holder) resumes where the store says it is.
                await StopGatewayAsync();
                await StartGatewayAsync("gw-b");
                await TrafficAsync(10, 10);
            }

            await AdvancedAsync(step);
        }

        var done = await WaitForAsync(r => !r.IsActive, "promotion");
        Assert.Equal(RolloutState.Promoted, done.State);
        Assert.True(restarted, "the gateway was restarted mid-rollout");
        Assert.Equal(weights.Order(), weights);
        Assert.All(weights, w => Assert.Contains(w, new[] { 1.0, 5, 25, 50 }));
        Assert.Equal(1.0, weights[0]);
        var state = await _app.Store.Environments.GetAsync("support-agent", "production", default);
        Assert.Null(state.Canary);
        Assert.Equal((await _app.Store.Releases.GetByVersionAsync("support-agent", 2, default))!.Id, state.StableReleaseId);
        var history = await _app.Store.Environments.HistoryAsync("support-agent", "production", default);
        Assert.Equal(["rollout_started", "rollout_step", "rollout_step", "rollout_step", "rollout_promoted"],
            history.Where(e => e.Kind.StartsWith("rollout_", StringComparison.Ordinal)).Select(e => e.Kind));
        // The gateway picks the promotion up at its next poll of the environment's revision.
        var (arm, status) = await SendAsync(_canarySubjects[0]);
        for (var waited = 0; arm != "stable" && waited < 30; waited++)
        {
            await Task.Delay(100);
            (arm, status) = await SendAsync(_canarySubjects[0]);
        }

        Assert.Equal(("stable", HttpStatusCode.OK), (arm, status));
    }

    [Fact]
    public async Task StoreMigratedByANewerGlidepath_GatewaysControllerHoldsASafeStep_AndGoesOnOnceTheSchemaIsKnown()
    {
        await StartGatewayAsync("gw-a");
        Assert.Equal(0, (await _app.CliAsync("rollout", "start", "v2", "--env", "production", "--force", "--reason", "integration test")).Exit);

        // A newer glidepath migrated the store under this gateway (one migration this build does not know; the CLI of
        // this build would refuse to open it from now on).
        var db = Path.Combine(_app.Directory, ".glidepath", "glidepath.db");
        var known = Convert.ToInt32(await SqlAsync(db, "SELECT MAX(version) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture);
        await SqlAsync(db, $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({known + 1}, 'from_a_newer_glidepath', '2027-01-01T00:00:00Z')");

        await TrafficAsync(CanaryPerStep, StablePerStep);
        var rollout = await WaitForAsync(r => true, "the rollout");
        // Until the judge finds the step safe there is nothing to hold: more traffic while it has not, as AdvancedAsync
        // sends (CI on a loaded machine: one step's traffic left the judge short of observations for 20 s).
        IReadOnlyList<RolloutDecisionRecord> decisions = [];
        for (var round = 0; round < 10 && (decisions = await HeldAsync(rollout.Id)).Count == 0; round++)
        {
            await TrafficAsync(CanaryPerStep / 4, StablePerStep / 4);
        }

        decisions = await _app.Store.Rollouts.DecisionsAsync(rollout.Id, default);
        Assert.True(decisions.Any(d => d.Kind == RolloutDecisionKinds.Outdated), "the controller never held the safe step: " + string.Join("; ", decisions.Select(d => $"{d.Kind}: {d.Reason}")));

        var outdated = decisions.Single(d => d.Kind == RolloutDecisionKinds.Outdated);
        Assert.Contains($"the store is at schema version {known + 1}, newer than this controller (gw-a) knows ({known})", outdated.Reason);
        Assert.Contains("(the judge: safe: ", outdated.Reason);
        rollout = (await _app.Store.Rollouts.GetAsync(rollout.Id, default))!;
        Assert.Equal((RolloutState.Progressing, 0), (rollout.State, rollout.StepIndex));

        // The newer version's migration gone (as if this build were the newer one): the judged step advances.
        await SqlAsync(db, $"DELETE FROM schema_migrations WHERE version = {known + 1}");
        await AdvancedAsync(0);
        Assert.True((await WaitForAsync(r => true, "the rollout")).StepIndex > 0, "the step advances once the schema is known");
    }

    /// <summary>The rollout's outdated decisions, waiting up to 5 s for one (an empty list when none came).</summary>
    private async Task<List<RolloutDecisionRecord>> HeldAsync(string rolloutId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var held = (await _app.Store.Rollouts.DecisionsAsync(rolloutId, default)).Where(d => d.Kind == RolloutDecisionKinds.Outdated).ToList();
            if (held.Count > 0 || DateTime.UtcNow >= deadline)
            {
                return held;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<object?> SqlAsync(string path, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    [Fact]
    public async Task ReleaseWithTenPercentErrors_RolledBackAtFirstStepWithEvidenceInStatusAndHistory()
    {
        // v3 = v2 with the sim failing one call in ten.
        File.WriteAllText(_app.ManifestPath, File.ReadAllText(_app.ManifestPath).Replace(
            "options: { first_token_ms: 1, tokens_per_second: 100000 }",
            "options: { first_token_ms: 1, tokens_per_second: 100000, faults: { error_rate: 0.1 } }",
            StringComparison.Ordinal));
        Assert.Equal(0, (await _app.CliAsync("release", "create", "-m", "v3 with faults")).Exit);
        await StartGatewayAsync("gw-a");
        Assert.Equal(0, (await _app.CliAsync("rollout", "start", "v3", "--env", "production", "--force", "--reason", "integration test")).Exit);

        for (var i = 0; i < 8 && (await _app.Store.Rollouts.LatestAsync("support-agent", "production", default))!.IsActive; i++)
        {
            await TrafficAsync(100, 200);
            await Task.Delay(600);
        }

        var ended = await WaitForAsync(r => !r.IsActive, "the rollback");
        Assert.Equal(RolloutState.RolledBack, ended.State);
        Assert.Equal(0, ended.StepIndex);
        var state = await _app.Store.Environments.GetAsync("support-agent", "production", default);
        Assert.Null(state.Canary);

        var (exit, stdout, _) = await _app.CliAsync("rollout", "status", "--env", "production", "--format", "json");
        Assert.Equal(1, exit);
        using var doc = JsonDocument.Parse(stdout);
        var last = doc.RootElement.GetProperty("last_decision");
        Assert.Equal("rollback", last.GetProperty("kind").GetString());
        Assert.Equal("controller", last.GetProperty("actor").GetString());
        var errors = last.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("metric").GetString() == "error_rate");
        Assert.Equal("harm", errors.GetProperty("verdict").GetString());
        Assert.True(errors.GetProperty("lower").GetDouble() > 0.03);

        var (_, history, _) = await _app.CliAsync("history", "--env", "production");
        Assert.Contains("rollout_rolled_back", history, StringComparison.Ordinal);
        Assert.Contains("harm: error_rate", history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManualRollbackDuringRollout_Wins()
    {
        await StartGatewayAsync("gw-a");
        Assert.Equal(0, (await _app.CliAsync("rollout", "start", "v2", "--env", "production", "--force", "--reason", "integration test")).Exit);
        await TrafficAsync(40, 80);

        var rollback = await _app.CliAsync("rollback", "--env", "production", "--reason", "operator says no");
        Assert.True(rollback.Exit == 0, rollback.Err);
        var revision = await _app.Store.Environments.GetRevisionAsync("support-agent", "production", default);
        await TrafficAsync(CanaryPerStep, StablePerStep); // data that would be safe enough to advance

        var ended = await WaitForAsync(r => !r.IsActive, "the controller to see the manual rollback");
        Assert.Equal(RolloutState.RolledBack, ended.State);
        Assert.Contains("operator says no", ended.EndReason, StringComparison.Ordinal);
        await Task.Delay(500);
        var state = await _app.Store.Environments.GetAsync("support-agent", "production", default);
        Assert.Null(state.Canary);
        Assert.Equal(revision, state.Revision);
    }
}
