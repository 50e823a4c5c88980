using Glidepath.Environments;
using Glidepath.Traces;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>
/// One trace with its feedback, the case <c>evalset add</c> would make of it, and the shadow pair it belongs to (null
/// when none: a stable request not mirrored, a canary's), as <c>traces show</c> names it.
/// </summary>
public sealed record TraceModel(TraceRecord Trace, IReadOnlyList<FeedbackRecord> Feedback, EnvironmentViews Names, string? DatasetPath, Glidepath.Models.PriceTable Prices, Glidepath.Shadow.ShadowPairRecord? Pair = null);
