using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Rollouts;
using Glidepath.Storage.Contract.Tests.Support;
using Glidepath.Traces;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Storage.Contract.Tests.Contracts.Rollouts;

/// <summary>A store of the kind under test, a fake clock, two releases (v1 stable in production, v2 the candidate) and a traffic writer.</summary>
internal sealed class RolloutFixture
{
    private readonly Random random = new(42);
    private long traceCounter;

    private RolloutFixture(IGlidepathStore store, FakeTimeProvider time)
    {
        Store = store;
        Time = time;
        Manifest = new Manifest
        {
            App = "app",
            Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "m" }, Prompt = new PromptSpec { System = "s.md" } },
            Environments = [new EnvironmentSpec { Name = "production" }],
        };
        Environments = new EnvironmentService(Manifest, Store.Environments, Store.GateVerdicts, Store.Releases, Store.Shadows, time);
        Service = new RolloutService(Manifest, Environments, Store.Environments, Store.Rollouts, Store.Traces, time);
    }

    public static readonly Release V1 = Release("v1id0000000000000000", 1);
    public static readonly Release V2 = Release("v2id0000000000000000", 2);

    public FakeTimeProvider Time { get; }
    public IGlidepathStore Store { get; }
    public Manifest Manifest { get; }
    public EnvironmentService Environments { get; }
    public RolloutService Service { get; }

    public static RolloutPlan Plan => new()
    {
        Steps = [1, 5, 25, 50, 100],
        MinRequests = 30,
        MaxDuration = TimeSpan.FromMinutes(30),
        Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.05 }, ["latency"] = new() { MaxRatio = 2 } },
    };

    /// <summary>Deploys v1 to production in <paramref name="store"/> (new and empty) and returns the fixture around it.</summary>
    public static async Task<RolloutFixture> CreateAsync(IGlidepathStore store)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var fixture = new RolloutFixture(store, time);
        await fixture.Environments.DeployAsync("production", V1, "ana", "first", CancellationToken.None);
        return fixture;
    }

    public RolloutController Controller(string holder = "gw-a") =>
        new(Store.Rollouts, Store.Environments, Store.Traces, Time, new RolloutControllerOptions { Holder = holder });

    /// <summary>
    /// Writes <paramref name="n"/> traces on one arm, <paramref name="errorRate"/> of them failing: with a 500, or, given
    /// <paramref name="error"/>, with that error code and a 400 (a refusal such as <c>provider_rejected</c>; a 504 for
    /// <c>timeout</c>); every trace
    /// under the caller key <paramref name="key"/> when given.
    /// </summary>
    public async Task TrafficAsync(string releaseId, string arm, int n, double errorRate = 0, double latencyMs = 300, string? error = null, string? key = null)
    {
        var batch = new List<TraceRecord>(n);
        for (var i = 0; i < n; i++)
        {
            var failed = random.NextDouble() < errorRate;
            batch.Add(new TraceRecord
            {
                TraceId = (++traceCounter).ToString("x32", System.Globalization.CultureInfo.InvariantCulture),
                App = "app",
                Environment = "production",
                ReleaseId = releaseId,
                Arm = arm,
                StartedAt = Time.GetUtcNow(),
                Api = "openai",
                Status = failed ? (error is null ? 500 : error == "timeout" ? 504 : 400) : 200,
                Error = failed ? error : null,
                KeyName = key,
                LatencyMs = latencyMs * Math.Exp(0.3 * ((random.NextDouble() * 2) - 1)),
                OverheadMs = 0.1,
                CostUsd = 0.001,
            });
        }

        await Store.Traces.WriteBatchAsync(batch, CancellationToken.None);
    }

    public Task<EnvironmentState> StateAsync() => Store.Environments.GetAsync("app", "production", CancellationToken.None);

    private static Release Release(string id, int version) => new()
    {
        Id = id,
        App = "app",
        Version = version,
        CanonicalJson = "{}",
        Author = "ana",
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
