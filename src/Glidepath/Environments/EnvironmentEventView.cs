using System.Text.Json;

namespace Glidepath.Environments;

/// <summary>One history event as JSON output (or an admin API) shows it.</summary>
public sealed record EnvironmentEventView(
    long Revision, string Kind, DateTimeOffset Time, string Actor, string? Reason,
    ReleaseRefView? From, ReleaseRefView? To, bool Forced, JsonElement? Details);
