using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// Turns any <see cref="IEvaluator"/>'s <see cref="EvaluationResult"/> into outcomes, fail-closed: an error
/// diagnostic or a metric without a value is an error, never a pass.
/// </summary>
public static class ScoreReader
{
    public static IReadOnlyList<ScoreOutcome> Read(string scorer, double weight, EvaluationResult result)
    {
        if (result.Metrics.Count == 0)
        {
            return [ScoreOutcome.Failed(scorer, "the evaluator returned no metric", weight)];
        }

        var list = new List<ScoreOutcome>(result.Metrics.Count);
        foreach (var metric in result.Metrics.Values)
        {
            var name = result.Metrics.Count == 1 ? scorer : $"{scorer}.{metric.Name}";
            var metadata = metric.Metadata?.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            var errors = metric.Diagnostics?.Where(d => d.Severity == EvaluationDiagnosticSeverity.Error).Select(d => d.Message).ToList() ?? [];
            if (errors.Count > 0)
            {
                list.Add(ScoreOutcome.Failed(name, string.Join("; ", errors), weight) with { Metadata = metadata });
                continue;
            }

            if (metadata is not null && metadata.TryGetValue(Scorers.Scorer.ApplicableKey, out var applicable) && applicable == "false")
            {
                list.Add(new ScoreOutcome { Scorer = name, Applicable = false, Passed = true, Reason = metric.Reason, Weight = weight });
                continue;
            }

            if (metric is NumericMetric { Value: { } raw } && !double.IsFinite(raw))
            {
                // NaN or infinite: a scorer error (the trial errs, never a pass, never a NaN mean in the gate).
                list.Add(ScoreOutcome.Failed(name, $"metric '{metric.Name}' is {raw.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not a finite number", weight) with { Metadata = metadata });
                continue;
            }

            var failed = metric.Interpretation?.Failed;
            var (score, passed) = metric switch
            {
                NumericMetric { Value: { } v } => ((double?)Normalize(v), (bool?)(failed is { } f ? !f : Normalize(v) >= 0.5)),
                BooleanMetric { Value: { } b } => (b ? 1.0 : 0.0, failed is { } f2 ? !f2 : b),
                _ when failed is { } f3 => (f3 ? 0.0 : 1.0, !f3),
                _ => ((double?)null, (bool?)null),
            };
            list.Add(score is null || passed is null
                ? ScoreOutcome.Failed(name, $"metric '{metric.Name}' has no value and no interpretation", weight)
                : new ScoreOutcome { Scorer = name, Score = score, Passed = passed.Value, Reason = metric.Reason ?? metric.Interpretation?.Reason, Weight = weight, Metadata = metadata });
        }

        return list;
    }

    // Built-in scorers report 0..1; Microsoft's quality evaluators report 1..5.
    private static double Normalize(double v) => v <= 1 ? Math.Max(0, v) : Math.Min(1, v / 5);
}
