using Glidepath.Evals.Datasets;
using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>Hands the case (with its <c>expect</c>) to offline scorers. Online scoring has no case.</summary>
public sealed class EvalCaseContext(EvalCase evalCase) : EvaluationContext(ContextName, evalCase.Id)
{
    public const string ContextName = "glidepath.case";

    public EvalCase Case { get; } = evalCase;
}
