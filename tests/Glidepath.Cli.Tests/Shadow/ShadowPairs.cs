using Glidepath.Cli.Tests.Environments;
using Glidepath.Shadow;
using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli.Tests.Shadow;

/// <summary>Writes shadow pairs straight to the store, as a gateway's mirror would.</summary>
internal static class ShadowPairs
{
    /// <summary>Claims <paramref name="pairs"/> of production's active shadow's caps for a gateway <paramref name="holder"/> at <paramref name="at"/>, as a gateway's mirror would (then killed: it renews no more).</summary>
    public static async Task ClaimAsync(EnvApp app, long pairs, string holder, DateTimeOffset at)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var state = await store.Environments.GetAsync("support-agent", "production", CancellationToken.None);
        await store.Shadows.ClaimAsync(state.Shadow!.ShadowId, holder, new ShadowSpend(pairs, 0), new ShadowSpend(pairs, 0), at, CancellationToken.None);
    }

    /// <summary>Writes <paramref name="n"/> pairs of production's active shadow (or of <paramref name="shadowId"/>) of v2, answered by <paramref name="stable"/>; the candidate fails <paramref name="candidateErrorRate"/> of them. Seeded.</summary>
    public static async Task WriteAsync(EnvApp app, int n, double candidateErrorRate, char prefix = 'x', string stable = "v1", string? shadowId = null)
    {
        await using var store = await SqliteStore.OpenAsync(app.StorePath, TimeProvider.System, CancellationToken.None);
        var state = await store.Environments.GetAsync("support-agent", "production", CancellationToken.None);
        var id = shadowId ?? state.Shadow!.ShadowId;
        var random = new Random(7);
        var now = DateTimeOffset.UtcNow;
        var pairs = new List<ShadowPairRecord>(n);
        for (var i = 0; i < n; i++)
        {
            var latency = 300 * Math.Exp(random.NextDouble() - 0.5);
            var failed = random.NextDouble() < candidateErrorRate;
            pairs.Add(new ShadowPairRecord
            {
                ShadowId = id,
                App = "support-agent",
                Environment = "production",
                StableTraceId = $"s{prefix}{i:x30}",
                CandidateTraceId = $"c{prefix}{i:x30}",
                StableReleaseId = app.Ids[stable],
                CandidateReleaseId = app.Ids["v2"],
                CreatedAt = now,
                Group = i % 64,
                CandidateError = failed,
                StableLatencyMs = latency,
                CandidateLatencyMs = failed ? null : latency * Math.Exp(0.05 * (random.NextDouble() - 0.5)),
                StableCostUsd = 0.002,
                CandidateCostUsd = 0.002,
                StablePassed = true,
                CandidatePassed = failed ? null : true,
                StableScore = 1,
                CandidateScore = failed ? null : 1,
            });
        }

        await store.Shadows.WriteAsync(pairs, CancellationToken.None);
    }
}
