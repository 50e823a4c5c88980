namespace Glidepath.Traces;

/// <summary>A filter for listing traces, newest first.</summary>
public sealed record TraceQuery
{
    public required string App { get; init; }
    public string? Environment { get; init; }
    public string? ReleaseId { get; init; }
    public string? Arm { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public bool ErrorsOnly { get; init; }
    public int Limit { get; init; } = 50;
}
