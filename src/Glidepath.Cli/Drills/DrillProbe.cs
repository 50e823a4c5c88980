namespace Glidepath.Cli.Drills;

/// <summary>
/// One probe request: when it was sent (ms after the phase began), which release answered (for a full request to a gateway
/// that does not name it: the one the route probes showed served), its trace id.
/// </summary>
internal readonly record struct DrillProbe(double SentMs, string? ReleaseLabel, string? TraceId, int Status);
