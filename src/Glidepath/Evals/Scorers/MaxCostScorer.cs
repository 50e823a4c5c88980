namespace Glidepath.Evals.Scorers;

/// <summary><c>max_cost</c>: the call cost at most <c>value</c> USD (reference-free). An unknown price is an error, not a pass.</summary>
public sealed class MaxCostScorer(string name, double maxUsd) : Scorer(name)
{
    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        if (input.CostUsd is not { } usd)
        {
            throw new ScorerException("max_cost needs the call's cost: add the model to the manifest's prices: section");
        }

        var text = $"${ThresholdText.Value(usd, maxUsd, "0.######")} (limit ${ThresholdText.Limit(maxUsd)})";
        return ValueTask.FromResult<ScoreValue?>(usd <= maxUsd ? ScoreValue.Pass(text) : ScoreValue.Fail(text));
    }
}
