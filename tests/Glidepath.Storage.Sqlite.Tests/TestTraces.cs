using Glidepath.Traces;

namespace Glidepath.Storage.Sqlite.Tests;

/// <summary>The smallest trace a store takes: for tests of how a store opens or fails, not of what it keeps.</summary>
internal static class TestTraces
{
    public static TraceRecord Minimal(string id) => new()
    {
        TraceId = id,
        App = "app",
        Environment = "staging",
        ReleaseId = "rel",
        Arm = "stable",
        StartedAt = DateTimeOffset.UnixEpoch,
        Api = "openai",
        Status = 200,
        LatencyMs = 1,
        OverheadMs = 0,
    };
}
