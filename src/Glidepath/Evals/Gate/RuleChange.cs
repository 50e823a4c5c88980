namespace Glidepath.Evals.Gate;

/// <summary>
/// How the gate rule in force (the checkout's <c>eval.gate</c> and <c>eval.trials</c>) differs from the rule in the manifest at
/// the baseline's commit, and who changed it (<see cref="BaselineFork"/>): a pull request can set the bar its own gate is
/// judged by, so every report says so; a branch that is only behind is told that the base branch moved the bar instead.
/// </summary>
/// <param name="Message">One sentence for every report.</param>
/// <param name="ChangedBy">Who changed it; null when that cannot be told (no merge base).</param>
/// <param name="BaselineRule">The rule at the baseline's commit.</param>
public sealed record RuleChange(string Message, ChangedBy? ChangedBy, VerdictRule BaselineRule)
{
    /// <summary>What a reader of the markdown, HTML and JUnit reports should do, after the message; "" when the message says it.</summary>
    public string Action => ChangedBy switch
    {
        Gate.ChangedBy.ThisChange => "This verdict was decided under the changed rule: review the eval section of the manifest in this change.",
        Gate.ChangedBy.BaseBranch => "",
        _ => "Review the eval section of the manifest in this change.",
    };

    /// <summary>The warning as the text output and stderr print it.</summary>
    public string Line => ChangedBy == Gate.ChangedBy.ThisChange ? $"{Message}; this verdict was decided under the changed rule" : Message;

    /// <summary>The difference between <paramref name="rule"/> (the checkout's) and the baseline's in <paramref name="fork"/>, or null when they agree.</summary>
    public static RuleChange? Of(VerdictRule rule, BaselineFork fork)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(fork);
        var baselineRule = VerdictRule.Of(fork.Baseline.Eval);
        var differences = baselineRule.Differences(rule);
        if (differences.Count == 0)
        {
            return null;
        }

        var atFork = fork.AtMergeBase is { } m ? VerdictRule.Of(m.Eval) : null;
        var forkValues = atFork?.Values().ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        var by = BaselineFork.Overall(differences.Select(d => BaselineFork.Attribute(forkValues is not null, d.Other, d.This, forkValues?[d.Name])));
        var message = by switch
        {
            Gate.ChangedBy.ThisChange => $"the gate rule was changed by this change: {baselineRule.ChangedTo(rule)}",
            Gate.ChangedBy.BaseBranch =>
                $"the gate rule differs from {fork.BaselineName}: {fork.BaseName} changed it since this branch forked ({rule.ChangedTo(baselineRule)}); " +
                $"this change is gated under its own rule ({string.Join(", ", differences.Select(d => $"{d.Name} {d.Other}"))}); {fork.MergeAdvice} to be gated under {fork.Theirs}",
            Gate.ChangedBy.Both =>
                $"the gate rule was changed by this change and on {fork.BaseName} since this branch forked (this change: {atFork!.ChangedTo(rule)}; {fork.BaseName}: {atFork.ChangedTo(baselineRule)}); " +
                $"this verdict was decided under this change's rule; {fork.MergeAdvice} to be gated under {fork.Theirs}",
            _ => $"the gate rule differs from {fork.BaselineName}: {baselineRule.ChangedTo(rule)}, changed by this change or on {fork.BaseName} since this branch forked; " +
                 $"{fork.UnknownNote}; this verdict was decided under this change's rule",
        };
        return new RuleChange(message, by, baselineRule);
    }
}
