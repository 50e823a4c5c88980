namespace Glidepath.Evals.Gate;

/// <summary>One way the checkout's <c>eval.scorers</c> differ from the baseline commit's (<see cref="ScorerChange"/>).</summary>
/// <param name="Scorer">The scorer's name as its outcomes are reported: its type, or <c>type#2</c> for the second of one type.</param>
/// <param name="Change"><c>added</c> or <c>removed</c> (the whole scorer), <c>option</c>, or <c>file</c> (the content of a rubric or schema it reads).</param>
/// <param name="Name">The option's name (<c>ignore_case</c>, <c>pass</c>, <c>rubric</c>); null for a scorer added or removed.</param>
/// <param name="Baseline">The value at the baseline's commit: an option as JSON text, a file's sha256, a scorer's type; null when there is none.</param>
/// <param name="Candidate">The checkout's value, likewise.</param>
/// <param name="ChangedBy">Who made the difference; null when that cannot be told.</param>
public sealed record ScorerDifference(string Scorer, string Change, string? Name, string? Baseline, string? Candidate, ChangedBy? ChangedBy)
{
    /// <summary>"contains ignore_case (none) → true", "tool_call removed": this difference read from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public string Describe(string? from, string? to) => Change switch
    {
        "added" or "removed" => to is null ? $"{Scorer} removed" : from is null ? $"{Scorer} added" : $"{Scorer} kept",
        "file" => $"{Scorer} {Name} file sha256 {Short(from)} → {Short(to)}",
        _ => $"{Scorer} {Name} {Clip(from)} → {Clip(to)}",
    };

    // An option can be a long list or pattern: the warning names it, eval.scorers in the change shows it whole.
    private static string Clip(string? value) => value is null ? "(none)" : value.Length <= 80 ? value : value[..79] + "…";

    private static string Short(string? sha) => sha is null ? "(none)" : BaselineFork.Short(sha);
}
