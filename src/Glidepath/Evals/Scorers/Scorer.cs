using Glidepath.Errors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// Base of the built-in scorers: an <see cref="IEvaluator"/> that reports one <see cref="NumericMetric"/>
/// in [0, 1] named after the scorer, with a pass/fail interpretation. A case the scorer does not apply
/// to (no expectation of its kind) yields a metric without a value marked not applicable.
/// </summary>
public abstract class Scorer(string name) : IEvaluator
{
    public const string ApplicableKey = "glidepath.applicable";

    public string Name { get; } = name;

    public IReadOnlyCollection<string> EvaluationMetricNames => [Name];

    public async ValueTask<EvaluationResult> EvaluateAsync(
        IEnumerable<ChatMessage> messages,
        ChatResponse modelResponse,
        ChatConfiguration? chatConfiguration = null,
        IEnumerable<EvaluationContext>? additionalContext = null,
        CancellationToken cancellationToken = default)
    {
        var contexts = additionalContext?.ToList() ?? [];
        var call = contexts.OfType<CallMetricsContext>().FirstOrDefault();
        var evalCase = contexts.OfType<EvalCaseContext>().FirstOrDefault();
        var input = new ScorerInput
        {
            Messages = messages.ToList(),
            ResponseText = modelResponse.Text,
            ToolCalls = modelResponse.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList(),
            Case = evalCase?.Case,
            Trial = evalCase?.Trial ?? 0,
            LatencyMs = call?.LatencyMs,
            CostUsd = call?.CostUsd,
            HasCostContext = call is not null,
        };

        var metric = new NumericMetric(Name);
        ScoreValue? value;
        try
        {
            value = await ScoreAsync(input, cancellationToken).ConfigureAwait(false);
        }
        catch (ScorerException ex)
        {
            metric.AddDiagnostics(EvaluationDiagnostic.Error(ex.Message));
            foreach (var (key, text) in ex.Metadata ?? new Dictionary<string, string>())
            {
                metric.AddOrUpdateMetadata(key, text);
            }

            // A judge whose provider was down errs again only while it is down: a resume is expected to fix the trial.
            if (TransientFailure.Of(ex))
            {
                metric.AddOrUpdateMetadata(TransientFailure.MetadataKey, "true");
            }

            return new EvaluationResult(metric);
        }

        if (value is not { } v)
        {
            metric.Reason = "not applicable to this case";
            metric.AddOrUpdateMetadata(ApplicableKey, "false");
            return new EvaluationResult(metric);
        }

        metric.Value = Math.Clamp(v.Score, 0, 1);
        metric.Reason = v.Reason;
        metric.Interpretation = new EvaluationMetricInterpretation(
            v.Passed ? EvaluationRating.Good : EvaluationRating.Unacceptable, failed: !v.Passed, reason: v.Reason);
        foreach (var (k, m) in v.Metadata ?? new Dictionary<string, string>())
        {
            metric.AddOrUpdateMetadata(k, m);
        }

        return new EvaluationResult(metric);
    }

    /// <summary>Scores one response, or returns null when the scorer does not apply to this case.</summary>
    protected abstract ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken);
}
