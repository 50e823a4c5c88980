using Glidepath.Environments;

namespace Glidepath.Cli.Remote.Answers;

/// <summary>One trace of <c>traces list</c>'s JSON view: the columns of its table.</summary>
internal sealed record TraceRow(
    string TraceId, DateTimeOffset StartedAt, ReleaseRefView? Release, string Arm, int Status, string? Error,
    double LatencyMs, long InputTokens, long OutputTokens, double? CostUsd, bool? OnlinePassed, bool ContentCaptured = false);
