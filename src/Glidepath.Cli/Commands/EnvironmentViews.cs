using System.Globalization;
using System.Text.Json;
using Glidepath.Environments;
using Glidepath.Releases;

namespace Glidepath.Cli.Commands;

/// <summary>A release as environments output names it: v3, its id and the v3+3f9c2a1b label.</summary>
internal sealed record ReleaseRefView(string Name, string Id, string Label);

/// <summary>The canary side of an environment in JSON output.</summary>
internal sealed record CanaryView(ReleaseRefView Release, double Weight, string Seed);

/// <summary>One environment in <c>status --format json</c>.</summary>
internal sealed record EnvironmentStatusView(
    string Name, string? Owner, IReadOnlyList<string> Requires, long Revision, ReleaseRefView? Stable,
    DateTimeOffset? StableSince, string? StableBy, bool Frozen, string? FrozenReason, CanaryView? Canary);

/// <summary>One history event in JSON output.</summary>
internal sealed record EnvironmentEventView(
    long Revision, string Kind, DateTimeOffset Time, string Actor, string? Reason,
    ReleaseRefView? From, ReleaseRefView? To, bool Forced, JsonElement? Details);

/// <summary>Builds the views, naming release ids from the app's registered releases.</summary>
internal sealed class EnvironmentViews(IReadOnlyList<Release> releases)
{
    private readonly Dictionary<string, Release> _byId = releases.ToDictionary(r => r.Id, StringComparer.Ordinal);

    public ReleaseRefView? Ref(string? id)
    {
        if (id is null)
        {
            return null;
        }

        return _byId.TryGetValue(id, out var r) ? new ReleaseRefView(r.Name, r.Id, r.Label) : new ReleaseRefView(Short(id), id, Short(id));
    }

    /// <summary>v3+3f9c2a1b, or "-" for none.</summary>
    public string Label(string? id) => Ref(id)?.Label ?? "-";

    /// <summary>v3, or "(none)".</summary>
    public string Name(string? id) => Ref(id)?.Name ?? "(none)";

    public EnvironmentStatusView Status(Manifests.EnvironmentSpec spec, EnvironmentState state) => new(
        spec.Name, spec.Owner, spec.Requires, state.Revision, Ref(state.StableReleaseId), state.StableSince, state.StableBy,
        state.Frozen, state.FrozenReason, state.Canary is { } c ? new CanaryView(Ref(c.ReleaseId)!, c.Weight, c.Seed) : null);

    public EnvironmentEventView Event(EnvironmentEvent e) => new(
        e.Revision, e.Kind, e.Time, e.Actor, e.Reason, Ref(e.FromReleaseId), Ref(e.ToReleaseId), e.Forced,
        e.DetailsJson is null ? null : JsonDocument.Parse(e.DetailsJson).RootElement.Clone());

    /// <summary>UTC, to the minute; table headers say "(UTC)".</summary>
    public static string Time(DateTimeOffset? t) =>
        t is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-";

    private static string Short(string id) => id[..Math.Min(8, id.Length)];
}
