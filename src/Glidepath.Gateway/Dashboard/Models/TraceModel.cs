using Glidepath.Environments;
using Glidepath.Traces;

namespace Glidepath.Gateway.Dashboard.Models;

/// <summary>One trace with its feedback, and the case <c>evalset add</c> would make of it.</summary>
public sealed record TraceModel(TraceRecord Trace, IReadOnlyList<FeedbackRecord> Feedback, EnvironmentViews Names, string? DatasetPath, Glidepath.Models.PriceTable Prices);
