using Glidepath.Environments;
using Glidepath.Traces;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>The traces explorer: the filters as given and the traces that match, newest first.</summary>
public sealed record TracesModel(TraceFilter Filter, IReadOnlyList<TraceRecord> Traces, IReadOnlyList<ReleaseRefView> Releases, EnvironmentViews Names, Glidepath.Models.PriceTable Prices);
