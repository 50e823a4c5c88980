namespace Glidepath.Manifests;

/// <summary>The manifest's <c>traces:</c> section: how long traces are kept (<c>retention: 30d</c>); null keeps them all.</summary>
public sealed record TracesConfig
{
    public TimeSpan? Retention { get; init; }

    /// <summary>Shortest retention accepted: the canary judge and the drill read the last hours of traces.</summary>
    public static readonly TimeSpan MinRetention = TimeSpan.FromDays(1);
}
