using Glidepath.Environments;
using Glidepath.Traces;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>The traces explorer: the filters as given and one page of the traces that match, newest first.</summary>
/// <param name="Older">The cursor of the next older page (the id of the last trace listed), or null when no older trace matches.</param>
public sealed record TracesModel(TraceFilter Filter, IReadOnlyList<TraceRecord> Traces, IReadOnlyList<ReleaseRefView> Releases, EnvironmentViews Names,
    Glidepath.Models.PriceTable Prices, string? Older);
