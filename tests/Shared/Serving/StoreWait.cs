using Glidepath.Shadow;
using Glidepath.Storage;
using Glidepath.Traces;

namespace Glidepath.Testing;

/// <summary>Waits (10 s at most, a guard against a hang) for what the background writers put in a store.</summary>
internal static class StoreWait
{
    /// <summary>The trace once the batch writer has stored it.</summary>
    public static Task<TraceRecord> TraceAsync(IGlidepathStore store, string traceId) =>
        UntilAsync(async () => await store.Traces.GetAsync(traceId, default), $"trace {traceId} never reached the store");

    /// <summary>The shadow pair of <paramref name="stableTraceId"/> once the mirror has stored it.</summary>
    public static Task<ShadowPairRecord> ShadowPairAsync(IGlidepathStore store, string shadowId, string stableTraceId) =>
        UntilAsync(
            async () => (await store.Shadows.PairsAsync(shadowId, default)).FirstOrDefault(p => p.StableTraceId == stableTraceId),
            $"no shadow pair for trace {stableTraceId} reached the store");

    private static async Task<T> UntilAsync<T>(Func<Task<T?>> read, string failure)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (await read() is { } found)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException(failure);
    }
}
