namespace Glidepath.Traces;

/// <summary>A user's verdict on one trace: 1 (good), -1 (bad) or a score in [0, 1], with an optional comment.</summary>
public sealed record FeedbackRecord(string TraceId, double Score, string? Comment, DateTimeOffset Time)
{
    /// <summary>
    /// The caller's key, or null for an anonymous caller. One vote per trace counts (a later vote replaces the earlier),
    /// and a trace made with a key is rated only with that key: another caller, knowing a trace id, cannot outvote or
    /// overwrite the user's own verdict.
    /// </summary>
    public string? KeyId { get; init; }

    /// <summary>When set, the feedback is stored only if the trace is of this environment (a gateway rates only its own traffic).</summary>
    public string? Environment { get; init; }
}
