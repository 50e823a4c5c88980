using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>One configured scorer: its display name (type, or <c>type#2</c> when repeated), evaluator and weight.</summary>
public sealed record ScorerEntry(string Name, string Type, IEvaluator Evaluator, double Weight);
