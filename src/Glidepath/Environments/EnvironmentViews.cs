using System.Text.Json;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Environments;

/// <summary>Builds the views of environments, their history and runs, naming release ids from the app's registered releases.</summary>
public sealed class EnvironmentViews(IReadOnlyList<Release> releases)
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

    public EnvironmentStatusView Status(EnvironmentSpec spec, EnvironmentState state)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(state);
        return new EnvironmentStatusView(
            spec.Name, spec.Owner, spec.Requires, state.Revision, Ref(state.StableReleaseId), state.StableSince, state.StableBy,
            state.Frozen, state.FrozenReason, state.Canary is { } c ? new CanaryView(Ref(c.ReleaseId)!, c.Weight, c.Seed) : null,
            state.Shadow is { } sh ? new ShadowStateView(sh.ShadowId, Ref(sh.ReleaseId)!, sh.Rate, sh.MaxCostUsd, sh.MaxRequests) : null);
    }

    public EnvironmentEventView Event(EnvironmentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new EnvironmentEventView(
            e.Revision, e.Kind, e.Time, e.Actor, e.Reason, Ref(e.FromReleaseId), Ref(e.ToReleaseId), e.Forced,
            e.DetailsJson is null ? null : JsonDocument.Parse(e.DetailsJson).RootElement.Clone());
    }

    private static string Short(string id) => id[..Math.Min(8, id.Length)];
}
