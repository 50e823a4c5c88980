using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Shadow;
using Glidepath.Storage;
using Glidepath.Storage.InMemory;
using static Glidepath.Tests.Environments.EnvironmentTestData;

namespace Glidepath.Tests.Shadow;

/// <summary>
/// Trial dash2 #1: a rollout of a release whose still-running shadow the paired judge showed as harm started with no
/// --force, and real users got the release until the controller rolled it back. The promotion policy now counts the
/// active shadow's decision now, as shadow status judges it, and fails closed when its pairs cannot be read.
/// </summary>
public sealed class ActiveShadowHarmTests
{
    [Fact]
    public async Task Assess_ActiveShadowJudgedHarmNow_RefusesNamingTheShadowStillActive()
    {
        var (environments, shadows, store, v2, _) = await ProductionAsync();
        var shadow = await shadows.StartAsync("production", v2, 0.5, null, null, "ana", null, default);
        await store.Shadows.WriteAsync(Pairs(shadow, 600, candidateErrorRate: 0.3), default);

        var assessment = await AssessAsync(environments, store, v2);

        Assert.NotNull(assessment.Harm);
        Assert.True(assessment.Harm.Active);
        Assert.Equal((JudgedHarm.Shadow, shadow.ShadowId, "id1"), (assessment.Harm.Kind, assessment.Harm.Id, assessment.Harm.AgainstReleaseId));
        var line = Assert.Single(assessment.Missing, m => m.Kind == "harm").ToString();
        Assert.Contains($"the judge found harm in v2 on production: shadow {shadow.ShadowId}, still active, has the judge's decision harm at ", line, StringComparison.Ordinal);
        Assert.Contains("against v1 (candidate is worse than stable on the same inputs: error_rate", line, StringComparison.Ordinal);
        Assert.Contains("glidepath shadow status --env production", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_ActiveShadowJudgedHarmNow_RefusedUntilForced_AndTheForcedEventRecordsIt()
    {
        var (environments, shadows, store, v2, _) = await ProductionAsync();
        var shadow = await shadows.StartAsync("production", v2, 0.5, null, null, "ana", null, default);
        await store.Shadows.WriteAsync(Pairs(shadow, 600, candidateErrorRate: 0.3), default);

        var refused = await Assert.ThrowsAsync<PolicyException>(() => environments.PromoteAsync("production", v2, "ana", null, force: false, default));
        var forced = await environments.PromoteAsync("production", v2, "ana", "the provider's outage", force: true, default);

        Assert.Contains($"shadow {shadow.ShadowId}, still active, has the judge's decision harm", refused.Message, StringComparison.Ordinal);
        Assert.True(forced.Event!.Forced);
        Assert.Contains($"\"judged_harm\":{{\"kind\":\"shadow\",\"id\":\"{shadow.ShadowId}\"", forced.Event.DetailsJson, StringComparison.Ordinal);
        Assert.Contains("\"active\":true", forced.Event.DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assess_ActiveShadowNotJudgedHarm_NoHarm()
    {
        var (environments, shadows, store, v2, _) = await ProductionAsync();
        var shadow = await shadows.StartAsync("production", v2, 0.5, null, null, "ana", null, default);
        await store.Shadows.WriteAsync(Pairs(shadow, 600, candidateErrorRate: 0), default);

        var assessment = await AssessAsync(environments, store, v2);

        Assert.Null(assessment.Harm);
        Assert.DoesNotContain(assessment.Missing, m => m.Kind == "harm");
    }

    [Fact]
    public async Task Assess_ActiveShadowOfAnotherRelease_DoesNotCountForThisOne()
    {
        var (environments, shadows, store, v2, _) = await ProductionAsync();
        var v3 = (await store.Releases.RegisterAsync(new ReleaseDraft { Id = "id3", App = "app", CanonicalJson = "{}", Author = "ana", CreatedAt = T0 }, default)).Release;
        var shadow = await shadows.StartAsync("production", v2, 0.5, null, null, "ana", null, default);
        await store.Shadows.WriteAsync(Pairs(shadow, 600, candidateErrorRate: 0.3), default);

        Assert.Null((await AssessAsync(environments, store, v3)).Harm);
    }

    [Fact]
    public async Task Assess_ActiveShadowsPairsCannotBeRead_RefusesSayingSo()
    {
        var (environments, shadows, store, v2, failing) = await ProductionAsync();
        var shadow = await shadows.StartAsync("production", v2, 0.5, null, null, "ana", null, default);
        failing.Fail = true;

        var assessment = await AssessAsync(environments, store, v2);

        Assert.NotNull(assessment.Harm);
        Assert.True(assessment.Harm.Active);
        Assert.Equal(shadow.ShadowId, assessment.Harm.Id);
        Assert.Contains("its pairs cannot be read or judged now (InvalidOperationException: disk I/O error)", assessment.Harm.Evidence, StringComparison.Ordinal);
        Assert.Contains(assessment.Missing, m => m.Kind == "harm");
    }

    private static async Task<PromotionAssessment> AssessAsync(EnvironmentService environments, InMemoryStore store, Release release) =>
        await environments.AssessAsync(environments.Spec("production"), await store.Environments.GetAsync("app", "production", default), release, default);

    /// <summary>production (no promotion path) with id1 stable and id2 registered; its shadows' pairs are read through the last item.</summary>
    private static async Task<(EnvironmentService, ShadowService, InMemoryStore, Release, FailingShadows)> ProductionAsync()
    {
        var store = new InMemoryStore();
        var pairs = new FailingShadows(store.Shadows);
        var manifest = Manifest(new EnvironmentSpec { Name = "production" }) with
        {
            Rollout = new RolloutPlan { MinRequests = 100, Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.02 } } },
        };
        var environments = new EnvironmentService(manifest, store.Environments, store.GateVerdicts, store.Releases, pairs, TimeProvider.System);
        var shadows = new ShadowService(manifest, environments, store.Environments, pairs, TimeProvider.System);
        var v1 = (await store.Releases.RegisterAsync(new ReleaseDraft { Id = "id1", App = "app", CanonicalJson = "{}", Author = "ana", CreatedAt = T0 }, default)).Release;
        var v2 = (await store.Releases.RegisterAsync(new ReleaseDraft { Id = "id2", App = "app", CanonicalJson = "{}", Author = "ana", CreatedAt = T0 }, default)).Release;
        await environments.DeployAsync("production", v1, "ana", null, default);
        return (environments, shadows, store, v2, pairs);
    }

    private static List<ShadowPairRecord> Pairs(ShadowState shadow, int n, double candidateErrorRate)
    {
        var random = new Random(7);
        var pairs = new List<ShadowPairRecord>(n);
        for (var i = 0; i < n; i++)
        {
            var latency = 300 * Math.Exp(random.NextDouble() - 0.5);
            var failed = random.NextDouble() < candidateErrorRate;
            pairs.Add(new ShadowPairRecord
            {
                ShadowId = shadow.ShadowId,
                App = "app",
                Environment = "production",
                StableTraceId = $"s{i:x31}",
                CandidateTraceId = $"c{i:x31}",
                StableReleaseId = "id1",
                CandidateReleaseId = shadow.ReleaseId,
                CreatedAt = T0,
                Group = i % 64,
                CandidateError = failed,
                StableLatencyMs = latency,
                CandidateLatencyMs = failed ? null : latency,
                StableCostUsd = 0.002,
                CandidateCostUsd = 0.002,
                StablePassed = true,
                CandidatePassed = failed ? null : true,
                StableScore = 1,
                CandidateScore = failed ? null : 1,
            });
        }

        return pairs;
    }

    /// <summary>The store's shadow pairs, whose reads fail once <see cref="Fail"/> is set (a store that cannot be read).</summary>
    private sealed class FailingShadows(IShadowStore inner) : Glidepath.Testing.ForwardingShadowStore(inner)
    {
        public bool Fail { get; set; }

        public override Task<IReadOnlyList<ShadowPairRecord>> PairsAsync(string shadowId, CancellationToken cancellationToken) =>
            Fail ? throw new InvalidOperationException("disk I/O error") : base.PairsAsync(shadowId, cancellationToken);
    }
}
