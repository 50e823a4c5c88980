namespace Glidepath.Traces;

/// <summary>A user's verdict on one trace: 1 (good), -1 (bad) or a score in [0, 1], with an optional comment.</summary>
public sealed record FeedbackRecord(string TraceId, double Score, string? Comment, DateTimeOffset Time);
