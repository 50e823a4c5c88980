using Glidepath.Evals.Datasets;
using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>Hands the case (with its <c>expect</c>) and the trial being scored to offline scorers. Online scoring has no case.</summary>
public sealed class EvalCaseContext(EvalCase evalCase, int trial = 0) : EvaluationContext(ContextName, evalCase.Id)
{
    public const string ContextName = "glidepath.case";

    public EvalCase Case { get; } = evalCase;

    /// <summary>Which trial of the case the response is (0-based).</summary>
    public int Trial { get; } = trial;
}
