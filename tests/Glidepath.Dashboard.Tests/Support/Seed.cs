using System.Globalization;
using Glidepath.Evals;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Dashboard.Tests.Support;

/// <summary>
/// Puts what the pages show into the harness's store the way the product does: a rollout started by the rollout service,
/// synthetic traffic as trace rows, controller passes run by the test (deterministic: no background timer decides when
/// a step advances), a gate run with its verdict, a drift alert.
/// </summary>
internal sealed class Seed(GatewayFixture f)
{
    private int _batches;

    public const string Environment = "staging";

    /// <summary>Three steps, 30 requests each at least, judged on errors and latency.</summary>
    public static RolloutPlan Plan => new()
    {
        Steps = [10, 50, 100],
        MinRequests = 30,
        MinSubjects = 0,
        MaxDuration = TimeSpan.FromMinutes(30),
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.05 }, ["latency"] = new() { MaxRatio = 2 } },
    };

    private RolloutService Rollouts
    {
        get
        {
            var environments = new Glidepath.Environments.EnvironmentService(f.Manifest, f.Store.Environments, f.Store.GateVerdicts, f.Store.Releases, f.Store.Shadows, TimeProvider.System);
            return new RolloutService(f.Manifest, environments, f.Store.Environments, f.Store.Rollouts, f.Store.Traces, TimeProvider.System);
        }
    }

    /// <summary>Starts a rollout of v2 in staging (forced: there is no gate verdict for it), as 'rollout start --force' does.</summary>
    public Task<Rollout> StartRolloutAsync(string reason = "dashboard test") => Rollouts.StartAsync(Environment, f.V2, Plan, "ana", reason, force: true, CancellationToken.None);

    /// <summary>Pauses or resumes the rollout in staging as someone else ('ana'), as 'rollout pause' and 'rollout resume' do.</summary>
    public Task<RolloutChange> PauseOrResumeAsync(bool pause) => pause
        ? Rollouts.PauseAsync(Environment, "ana", "elsewhere", CancellationToken.None)
        : Rollouts.ResumeAsync(Environment, "ana", "elsewhere", CancellationToken.None);

    /// <summary>Aborts the rollout in staging as someone else ('ana'), as 'rollout abort' does.</summary>
    public Task<Rollout> AbortAsync() => Rollouts.AbortAsync(Environment, "ana", "elsewhere", CancellationToken.None);

    /// <summary>Promotes the rollout in staging to 100% as someone else ('ana'), as 'rollout promote --full' does: the canary becomes stable.</summary>
    public Task<Rollout> PromoteAsync() => Rollouts.PromoteAsync(Environment, full: true, "ana", "elsewhere", CancellationToken.None);

    /// <summary>
    /// A hold the controller stored at the rollout's current step, at its time limit, with error_rate's estimate beyond
    /// its tolerance (the hold that hides a harm) and the cap of heavy subjects removing some requests from both metrics.
    /// </summary>
    public async Task HoldWithWarningAsync(Rollout rollout)
    {
        IReadOnlyList<MetricEvidence> evidence =
        [
            new()
            {
                Metric = "error_rate", Scale = "difference", CanaryN = 992, StableN = 1800, CanaryNBeforeCap = 1029, StableNBeforeCap = 1800,
                Estimate = 0.0560, EstimateBeforeCap = 0.0612, Lower = -0.0080, Upper = 0.1030, Tolerance = 0.05, ToleranceText = "max_increase 0.05",
                Verdict = "unclear", Alpha = 0.025, EstimateBeyondTolerance = true,
            },
            new()
            {
                Metric = "latency", Scale = "ratio", CanaryN = 992, StableN = 1800, CanaryNBeforeCap = 1029, StableNBeforeCap = 1800,
                Estimate = 0.930, EstimateBeforeCap = 0.931, Lower = 0.85, Upper = 1.02, Tolerance = 2, ToleranceText = "max_ratio 2",
                Verdict = "safe", Alpha = 0.025, EstimateBeyondTolerance = false,
            },
        ];
        await f.Store.Rollouts.AppendDecisionAsync(new RolloutDecisionRecord
        {
            RolloutId = rollout.Id,
            Kind = RolloutDecisionKinds.Hold,
            StepIndex = rollout.StepIndex,
            Weight = rollout.Weight,
            Actor = "controller",
            Reason = "step time limit reached undecided; on_inconclusive: hold",
            CanaryRequests = 1029,
            StableRequests = 1800,
            EvidenceJson = RolloutJson.Evidence(evidence),
            Time = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
    }

    /// <summary>
    /// Starts a shadow of v2 in staging at 10% with a $5 cap, as 'shadow start' does, and writes <paramref name="pairs"/>
    /// pairs as a gateway's mirror would (seeded; the candidate answers as well as stable).
    /// </summary>
    public async Task<Glidepath.Environments.ShadowState> ShadowAsync(int pairs)
    {
        var shadow = await Shadows.StartAsync(Environment, f.V2, 0.1, 5, null, "ana", "try v2", CancellationToken.None);
        await PairsAsync(shadow, 0, pairs);
        return shadow;
    }

    /// <summary>
    /// Registers a v3 (one more prompt line) and makes it staging's stable release, as a promote during a shadow does:
    /// the shadow's earlier pairs are then against another stable release.
    /// </summary>
    public async Task<Glidepath.Releases.Release> StableV3Async()
    {
        await File.AppendAllTextAsync(Path.Combine(f.Directory, "prompts", "system.md"), "\n- A line only v3 has.\n");
        var draft = await Glidepath.Releases.ReleaseDrafts.FromWorkingTreeAsync(f.World.LoadManifest(), "v3", TimeProvider.System, CancellationToken.None);
        var v3 = (await f.Store.Releases.RegisterAsync(draft, CancellationToken.None)).Release;
        await f.SetAsync(s => s with { StableReleaseId = v3.Id }, "promote");
        return v3;
    }

    /// <summary>Writes the pairs numbered <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> - 1 of <paramref name="shadow"/>, as a gateway's mirror would.</summary>
    /// <param name="stable">The stable release that answered them (v1 when null).</param>
    /// <param name="candidateFails">Whether the candidate failed every one of them.</param>
    public async Task PairsAsync(Glidepath.Environments.ShadowState shadow, int from, int count, Glidepath.Releases.Release? stable = null, bool candidateFails = false)
    {
        var random = new Random(7 + from);
        var records = new List<Glidepath.Shadow.ShadowPairRecord>(count);
        for (var i = from; i < from + count; i++)
        {
            var latency = 300 * Math.Exp(random.NextDouble() - 0.5);
            records.Add(new Glidepath.Shadow.ShadowPairRecord
            {
                ShadowId = shadow.ShadowId,
                App = f.Manifest.App,
                Environment = Environment,
                StableTraceId = $"s{i:x31}",
                CandidateTraceId = $"c{i:x31}",
                StableReleaseId = (stable ?? f.V1).Id,
                CandidateReleaseId = f.V2.Id,
                CreatedAt = DateTimeOffset.UtcNow,
                Group = i % 64,
                CandidateError = candidateFails,
                StableLatencyMs = latency,
                CandidateLatencyMs = candidateFails ? null : latency * Math.Exp(0.05 * (random.NextDouble() - 0.5)),
                StableCostUsd = 0.002,
                CandidateCostUsd = 0.002,
                StablePassed = true,
                CandidatePassed = candidateFails ? null : true,
                StableScore = 1,
                CandidateScore = candidateFails ? null : 1,
            });
        }

        await f.Store.Shadows.WriteAsync(records, CancellationToken.None);
    }

    /// <summary>The environment service over the harness's store, as the CLI and the admin API build it.</summary>
    public Glidepath.Environments.EnvironmentService Environments =>
        new(f.Manifest, f.Store.Environments, f.Store.GateVerdicts, f.Store.Releases, f.Store.Shadows, TimeProvider.System);

    /// <summary><paramref name="count"/> more events in staging's history: freezes and unfreezes by turns, each with its own reason.</summary>
    public async Task EventsAsync(int count)
    {
        var service = Environments;
        for (var i = 0; i < count; i++)
        {
            var state = await f.Store.Environments.GetAsync(f.Manifest.App, Environment, CancellationToken.None);
            _ = state.Frozen
                ? await service.UnfreezeAsync(Environment, "ana", $"event {i}", CancellationToken.None)
                : await service.FreezeAsync(Environment, "ana", $"event {i}", CancellationToken.None);
        }
    }

    /// <summary>The shadow service over the harness's store, as the CLI and the admin API build it.</summary>
    public Glidepath.Shadow.ShadowService Shadows => new(f.Manifest, Environments, f.Store.Environments, f.Store.Shadows, TimeProvider.System);

    /// <summary>One pass of the rollout controller, as a gateway's controller runs it every interval.</summary>
    public Task<IReadOnlyList<RolloutAction>> TickAsync() =>
        new RolloutController(f.Store.Rollouts, f.Store.Environments, f.Store.Traces, TimeProvider.System, new RolloutControllerOptions
        {
            Holder = "test-controller",
            App = f.Manifest.App,
            Environment = Environment,
        }).TickAsync(CancellationToken.None);

    /// <summary>Healthy traffic on both arms (no errors, the same latency), as the gateway's batch writer stores it.</summary>
    public async Task TrafficAsync(int canary, int stable, int seed = 1)
    {
        var random = new Random(seed);
        var batch = new List<TraceRecord>();
        var batchNo = ++_batches;
        void Add(string releaseId, string arm, int i) => batch.Add(new TraceRecord
        {
            TraceId = Glidepath.Testing.TestTraceIds.Of($"{arm}/{seed}/{batchNo}", i),
            App = f.Manifest.App,
            Environment = Environment,
            ReleaseId = releaseId,
            Arm = arm,
            StartedAt = DateTimeOffset.UtcNow,
            Api = "openai",
            Status = 200,
            LatencyMs = 300 * Math.Exp(0.3 * ((random.NextDouble() * 2) - 1)),
            OverheadMs = 0.1,
            CostUsd = 0.001,
            InputTokens = 120,
            OutputTokens = 40,
            KeyName = i % 2 == 0 ? "checkout" : null,
        });
        for (var i = 0; i < canary; i++)
        {
            Add(f.V2.Id, "canary", i);
        }

        for (var i = 0; i < stable; i++)
        {
            Add(f.V1.Id, "stable", i);
        }

        await f.Store.Traces.WriteBatchAsync(batch, CancellationToken.None);
    }

    /// <summary>A failed request with captured content and an online score, to open in the trace explorer.</summary>
    public async Task<string> FailedTraceAsync()
    {
        var id = Guid.NewGuid().ToString("N");
        await f.Store.Traces.WriteBatchAsync([new TraceRecord
        {
            TraceId = id,
            App = f.Manifest.App,
            Environment = Environment,
            ReleaseId = f.V1.Id,
            Arm = "stable",
            StartedAt = DateTimeOffset.UtcNow,
            Api = "openai",
            Status = 502,
            Error = "provider_error",
            LatencyMs = 812,
            OverheadMs = 0.2,
            InputJson = """[{"role":"user","content":"Can I return shoes after 45 days? <script>alert(1)</script>"}]""",
            OutputText = "I'm not sure.",
            OnlineScore = 0,
            OnlinePassed = false,
            OnlineScoresJson = """{"not_contains":{"score":0,"passed":false,"reason":"contains 'I'm not sure'"}}""",
        }], CancellationToken.None);
        return id;
    }

    /// <summary>A gate run of v2 against v1 over two cases, one of which v2 fails, and its blocked verdict.</summary>
    public Task<GateVerdictRecord> GateVerdictAsync() => GateRunSeed.SeedAsync(f.Store, f.Manifest.App, f.V2.Id, f.V1.Id);

    /// <summary>A drift alert on v1's latency in staging.</summary>
    public Task AlertAsync(MetricEvidence? evidence = null)
    {
        var to = new DateTimeOffset(DateTimeOffset.UtcNow.Year, DateTimeOffset.UtcNow.Month, DateTimeOffset.UtcNow.Day, 12, 0, 0, TimeSpan.Zero);
        return f.Store.Monitor.SaveAlertAsync(new DriftAlert
        {
            Id = "alert" + Guid.NewGuid().ToString("N")[..8],
            App = f.Manifest.App,
            Environment = Environment,
            ReleaseId = f.V1.Id,
            Metric = evidence?.Metric ?? "latency",
            RaisedAt = to,
            Windows = new DriftWindows(to.AddDays(-7).AddHours(-1), to.AddDays(-1), to.AddHours(-1), to),
            Evidence = evidence ?? new MetricEvidence
            {
                Metric = "latency", Scale = "ratio", CanaryN = 400, StableN = 2800, Estimate = 1.42, Lower = 1.31, Upper = 1.55,
                Tolerance = 1.25, ToleranceText = "max_ratio 1.25", Verdict = "harm", Alpha = 0.05,
            },
            Message = string.Create(CultureInfo.InvariantCulture, $"latency of v1 rose ×1.42 against the same hour on the last 6 days"),
        }, CancellationToken.None);
    }
}
