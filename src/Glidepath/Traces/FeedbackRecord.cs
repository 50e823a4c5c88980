namespace Glidepath.Traces;

/// <summary>A user's verdict on one trace: 1 (good), -1 (bad) or a score in [0, 1], with an optional comment.</summary>
public sealed record FeedbackRecord(string TraceId, double Score, string? Comment, DateTimeOffset Time)
{
    /// <summary>The caller's key: one vote per trace and key, a later vote replaces the earlier. Null: anonymous (every vote kept).</summary>
    public string? KeyId { get; init; }

    /// <summary>When set, the feedback is stored only if the trace is of this environment (a gateway rates only its own traffic).</summary>
    public string? Environment { get; init; }
}
