namespace Glidepath.Evals.Scorers;

/// <summary><c>max_latency_ms</c>: the call took at most <c>value</c> milliseconds (reference-free).</summary>
public sealed class MaxLatencyScorer(string name, double maxMs) : Scorer(name)
{
    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        if (input.LatencyMs is not { } ms)
        {
            throw new ScorerException("max_latency_ms needs the call's latency, which was not measured");
        }

        var text = $"{ThresholdText.Value(ms, maxMs, "0")} ms (limit {ThresholdText.Limit(maxMs)} ms)";
        return ValueTask.FromResult<ScoreValue?>(ms <= maxMs ? ScoreValue.Pass(text) : ScoreValue.Fail(text));
    }
}
