namespace Glidepath.Evals.Scorers;

/// <summary>
/// An <c>llm_judge</c> call under <c>max_spend_usd</c> cut off by the run's stop (Ctrl-C): a cancellation, so the trial is
/// not saved and <c>--resume</c> asks it again, but one that says what the cap counted the call at, since the provider may
/// have answered and billed it all the same. The run stores it as unanswered spend (<see cref="Runs.JudgeSpend.UnansweredUsd"/>),
/// so a resume's cap starts from it as it does from a call that timed out.
/// </summary>
/// <param name="scorer">The judge's scorer name (<c>llm_judge</c>, <c>llm_judge#2</c>).</param>
/// <param name="unansweredUsd">What the cap counted the call at: the dearest call known then.</param>
public sealed class JudgeCallStoppedException(string scorer, decimal unansweredUsd, OperationCanceledException inner, CancellationToken token)
    : OperationCanceledException(inner?.Message, inner, token)
{
    public string Scorer { get; } = scorer;

    public decimal UnansweredUsd { get; } = unansweredUsd;
}
