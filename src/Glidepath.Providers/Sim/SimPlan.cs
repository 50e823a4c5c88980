namespace Glidepath.Providers.Sim;

/// <summary>One sim call, decided before any time passes: the answer, the fault and the timings.</summary>
internal sealed record SimPlan(SimAnswer Answer, Fault Fault, TimeSpan FirstToken, TimeSpan PerToken, string ResponseId);
