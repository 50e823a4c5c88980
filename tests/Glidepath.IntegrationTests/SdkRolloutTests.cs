using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Glidepath.Rollouts;
using Glidepath.Routing;
using Xunit.Abstractions;

namespace Glidepath.IntegrationTests;

/// <summary>
/// Rollouts with no gateway: two processes of samples/support-agent-app (the SDK, the sim model) and a
/// <c>glidepath controller</c> process over one real SQLite file, rollouts started with the CLI, traffic over real HTTP
/// on 127.0.0.1. Subjects are deterministic (<c>subject-N</c>); every answer's arm is checked against the documented
/// split (sha256 of subject + seed against the weight), so the SDK's buckets are the gateway's.
/// </summary>
public sealed class SdkRolloutTests(ITestOutputHelper output) : IAsyncLifetime
{
    // At weight 1 over 5,000 subjects the canary share has a standard deviation of 0.14 points whatever the rollout's
    // seed: ±1 point is 7 of them, so the bound cannot flake. The per-subject check is exact.
    private const int SplitSubjects = 5_000;
    private const int CanaryPerStep = 600;
    private const int StablePerStep = 600;

    private SampleApp _app = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<ChildProcess> _processes = [];
    private readonly List<string> _apps = [];

    public async Task InitializeAsync()
    {
        // Tolerances for a sim whose answers take a millisecond (as RolloutTests); the rest of the plan is the sample's.
        _app = await SampleApp.CreateAsync(yaml => yaml
            .Replace("error_rate:    { max_increase: 0.01 }", "error_rate:    { max_increase: 0.03 }", StringComparison.Ordinal)
            .Replace("retry_rate:    { max_increase: 0.01 }", "retry_rate:    { max_increase: 0.03 }", StringComparison.Ordinal)
            .Replace("latency:       { max_ratio: 1.25 }", "latency:       { max_ratio: 4 }", StringComparison.Ordinal)
            .Replace("latency_p95:   { max_increase: 0.05 }", "latency_p95:   { max_increase: 0.3 }", StringComparison.Ordinal)
            .Replace("cost_per_call: { max_ratio: 1.15 }", "cost_per_call: { max_ratio: 3 }", StringComparison.Ordinal)
            .Replace("min_requests: 200", "min_requests: 100", StringComparison.Ordinal));
        Assert.Equal(0, (await _app.CliAsync("promote", "v1", "--env", "production")).Exit);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task GoodRelease_SplitsByTheGatewaysBucketsWithinOnePointThenAdvancesAndIsPromotedInBothApps()
    {
        await StartAppsAsync();
        var start = await _app.CliAsync("rollout", "start", "v2", "--env", "production", "--steps", "1,25", "--force", "--reason", "sdk integration test");
        Assert.True(start.Exit == 0, start.Err);
        var split = (await _app.Store.Environments.GetAsync("support-agent", "production", default)).Canary!;
        var v2 = await _app.ReleaseLabelAsync(2);
        await FollowedByBothAppsAsync(SubjectOn(split, canary: true), v2, "canary");

        // No controller yet, so the weight cannot move while the split is measured.
        var canary = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, SplitSubjects), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var subject = $"subject-{i}";
            var (status, arm, release) = await AskAsync(_apps[i % 2], subject);
            var expected = StickySplit.IsCanary(StickySplit.Bucket(subject, split.Seed), split.Weight) ? "canary" : "stable";
            Assert.True((200, expected) == (status, arm), $"{subject} via app {i % 2}: {status} {arm}, the split says {expected}");
            if (arm == "canary")
            {
                Assert.Equal(v2, release);
                Interlocked.Increment(ref canary);
            }
        });
        var share = 100.0 * canary / SplitSubjects;
        output.WriteLine($"canary share at weight {split.Weight}: {share:F2}% of {SplitSubjects} subjects");
        Assert.InRange(share, split.Weight - 1, split.Weight + 1);

        await StartControllerAsync();
        var weights = new List<double>();
        for (var guard = 0; guard < 10; guard++)
        {
            var rollout = (await _app.Store.Rollouts.LatestAsync("support-agent", "production", default))!;
            if (!rollout.IsActive)
            {
                break;
            }

            if (!weights.Contains(rollout.Weight))
            {
                weights.Add(rollout.Weight);
            }

            // Traffic keeps coming while the judge collects, as in production: a step whose first 600 + 600 requests
            // leave the online score's interval straddling max_drop (it did, now and then) gets more, not a timeout.
            await TrafficAsync(CanaryPerStep, StablePerStep);
            await WaitForAsync(r => r.StepIndex > rollout.StepIndex || !r.IsActive, $"the controller to act on step {rollout.StepIndex + 1}",
                moreTraffic: () => TrafficAsync(CanaryPerStep / 2, StablePerStep / 2));
        }

        var done = await WaitForAsync(r => !r.IsActive, "promotion");
        Assert.Equal(RolloutState.Promoted, done.State);
        Assert.Equal([1.0, 25], weights);
        await FollowedByBothAppsAsync(SubjectOn(split, canary: true), v2, "stable");
    }

    [Fact]
    public async Task ReleaseWithErrors_RolledBackByTheControllerAndBothAppsFollow()
    {
        // v3 = v2 with the sim failing one call in ten.
        File.WriteAllText(_app.ManifestPath, File.ReadAllText(_app.ManifestPath).Replace(
            "options: { first_token_ms: 1, tokens_per_second: 100000 }",
            "options: { first_token_ms: 1, tokens_per_second: 100000, faults: { error_rate: 0.1 } }",
            StringComparison.Ordinal));
        Assert.Equal(0, (await _app.CliAsync("release", "create", "-m", "v3 with faults")).Exit);
        await StartAppsAsync();
        await StartControllerAsync();
        var v1 = await _app.ReleaseLabelAsync(1);
        Assert.Equal(0, (await _app.CliAsync("rollout", "start", "v3", "--env", "production", "--steps", "1,25", "--force", "--reason", "sdk integration test")).Exit);
        var split = (await _app.Store.Environments.GetAsync("support-agent", "production", default)).Canary!;
        await FollowedByBothAppsAsync(SubjectOn(split, canary: true), await _app.ReleaseLabelAsync(3), "canary");

        for (var i = 0; i < 10 && (await _app.Store.Rollouts.LatestAsync("support-agent", "production", default))!.IsActive; i++)
        {
            await TrafficAsync(100, 200);
        }

        var ended = await WaitForAsync(r => !r.IsActive, "the rollback");
        var seen = Stopwatch.StartNew();
        Assert.Equal(RolloutState.RolledBack, ended.State);
        Assert.Contains("controller", (await _app.Store.Environments.HistoryAsync("support-agent", "production", default)).Last(e => e.Kind == "rollout_rolled_back").Actor, StringComparison.Ordinal);
        var followed = await FollowedByBothAppsAsync(SubjectOn(split, canary: true), v1, "stable");
        output.WriteLine($"both apps served {v1} on stable {followed.TotalMilliseconds:F0} ms after the test saw the rollback in the store");
    }

    private async Task StartAppsAsync()
    {
        var dll = Path.Combine(SampleApp.RepoRoot(), "samples", "support-agent-app", "bin", Configuration(), "net10.0", "SupportAgentApp.dll");
        for (var i = 0; i < 2; i++)
        {
            var process = ChildProcess.Start($"support-agent-app #{i + 1}", dll, Path.GetDirectoryName(dll)!,
                "--urls", "http://127.0.0.1:0", "--Glidepath:Manifest=" + _app.ManifestPath, "--Glidepath:Environment=production");
            _processes.Add(process);
            _apps.Add(await process.ListeningUrlAsync());
        }
    }

    private async Task StartControllerAsync()
    {
        var dll = Path.Combine(SampleApp.RepoRoot(), "src", "Glidepath.Cli", "bin", Configuration(), "net10.0", "Glidepath.Cli.dll");
        var controller = ChildProcess.Start("glidepath controller", dll, _app.Directory,
            "--manifest", _app.ManifestPath, "controller", "--env", "production", "--interval", "200ms", "--monitor-interval", "0");
        _processes.Add(controller);
        await controller.WaitForAsync(new Regex("Rollout controller of support-agent@production started"), TimeSpan.FromSeconds(60));
    }

    /// <summary>Asks <paramref name="app"/> as <paramref name="subject"/>: the status and the arm and release that answered.</summary>
    private async Task<(int Status, string? Arm, string? Release)> AskAsync(string app, string subject)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, app + "/ask") { Content = JsonContent.Create(new { text = "How long does shipping take?" }) };
        request.Headers.Add("X-User", subject);
        using var response = await _http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        return ((int)response.StatusCode, root.TryGetProperty("arm", out var arm) ? arm.GetString() : null, root.TryGetProperty("release", out var release) ? release.GetString() : null);
    }

    /// <summary>Waits (10 s at most) until both apps answer <paramref name="subject"/> from <paramref name="release"/> on <paramref name="arm"/>; returns how long it took.</summary>
    private async Task<TimeSpan> FollowedByBothAppsAsync(string subject, string release, string arm)
    {
        var sw = Stopwatch.StartNew();
        foreach (var app in _apps)
        {
            (int Status, string? Arm, string? Release) last;
            while ((last = await AskAsync(app, subject)) is not { Status: 200 } || (last.Arm, last.Release) != (arm, release))
            {
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"{app} still answers {subject} with {last}, expected {release} on {arm}");
                await Task.Delay(20);
            }
        }

        return sw.Elapsed;
    }

    /// <summary>
    /// Sends requests until the canary arm answered <paramref name="canary"/> and stable <paramref name="stable"/> (an error
    /// counts: it is evidence), spread over many subjects and both apps, as long as the rollout is active.
    /// </summary>
    private async Task TrafficAsync(int canary, int stable)
    {
        var state = await _app.Store.Environments.GetAsync("support-agent", "production", default);
        if (state.Canary is not { } split)
        {
            return;
        }

        var canarySubjects = Subjects(split, canary: true, 48);
        var stableSubjects = Subjects(split, canary: false, 64);
        var jobs = Enumerable.Range(0, canary).Select(i => canarySubjects[i % canarySubjects.Count])
            .Concat(Enumerable.Range(0, stable).Select(i => stableSubjects[i % stableSubjects.Count]))
            .Select((subject, i) => (subject, app: _apps[i % 2]))
            .ToList();
        await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (job, _) => await AskAsync(job.app, job.subject));
    }

    private static List<string> Subjects(Glidepath.Environments.CanaryState split, bool canary, int count)
    {
        var subjects = new List<string>(count);
        for (var i = 0; subjects.Count < count; i++)
        {
            if (StickySplit.IsCanary(StickySplit.Bucket($"subject-{i}", split.Seed), split.Weight) == canary)
            {
                subjects.Add($"subject-{i}");
            }
        }

        return subjects;
    }

    private static string SubjectOn(Glidepath.Environments.CanaryState split, bool canary) => Subjects(split, canary, 1)[0];

    /// <summary>
    /// Waits (30 s at most) for <paramref name="condition"/>. With <paramref name="moreTraffic"/>, each 3 s without it
    /// sends one more round while the judge is still collecting (at most 8 rounds), so the wait ends on the judge's
    /// decision rather than on how much evidence one round happened to give.
    /// </summary>
    private async Task<Rollout> WaitForAsync(Func<Rollout, bool> condition, string what, Func<Task>? moreTraffic = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var nextRound = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        var rounds = 0;
        while (true)
        {
            var rollout = (await _app.Store.Rollouts.LatestAsync("support-agent", "production", default))!;
            if (condition(rollout))
            {
                return rollout;
            }

            if (moreTraffic is not null && rounds < 8 && DateTime.UtcNow >= nextRound)
            {
                var (canaryArm, stableArm, _, _) = await RolloutArms.StepAsync(_app.Store.Traces, rollout, default);
                if (new Judge(JudgePolicy.From(rollout.Plan)).Decide(canaryArm, stableArm, TimeSpan.Zero).Outcome == JudgeOutcome.Continue)
                {
                    await moreTraffic();
                    rounds++;
                    deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                }

                nextRound = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            }

            if (DateTime.UtcNow >= deadline)
            {
                var (canary, stable, _, _) = await RolloutArms.StepAsync(_app.Store.Traces, rollout, default);
                var judge = new Judge(JudgePolicy.From(rollout.Plan)).Decide(canary, stable, TimeSpan.Zero);
                Assert.Fail($"timed out waiting for {what}; rollout is {rollout.State} at step {rollout.StepIndex + 1}; the judge says: {judge.Reason}\n" +
                    string.Join("\n", _processes.Select(p => $"--- {p.Name}:\n{p.Output}")));
            }

            await Task.Delay(100);
        }
    }

    private static string Configuration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
}
