using Glidepath.Traces;

namespace Glidepath.Serving.Tests.Support;

/// <summary>A minimal answered trace of the stable arm, numbered by its id, for tests of the queues that carry traces.</summary>
internal static class TestTraces
{
    public static TraceRecord Stable(int i, string app = "support-agent", string api = "sdk") => new()
    {
        TraceId = $"{i:x32}",
        App = app,
        Environment = "staging",
        ReleaseId = "r1",
        Arm = "stable",
        StartedAt = DateTimeOffset.UnixEpoch,
        Api = api,
        Status = 200,
        LatencyMs = 1,
        OverheadMs = 0,
    };
}
