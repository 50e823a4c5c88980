using System.Globalization;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The gate's evidence for one candidate against one baseline, as <see cref="CountingVerdict"/> finds it: the verdict that
/// counts (the newest computed on today's dataset and scorers under today's gate rule), how many blocks of the same pair on that basis came before
/// it, and what the other verdicts of the pair were computed on. Promote, rollout start and the checklist read this.
/// </summary>
public sealed record GateEvidence
{
    public required string CandidateReleaseId { get; init; }

    public required string BaselineReleaseId { get; init; }

    /// <summary>Today's dataset and scorers; null when there is none (<see cref="Unavailable"/> says why).</summary>
    public GateBasis? Basis { get; init; }

    /// <summary>Why no verdict can count (no <c>eval:</c> section, no dataset file…); null when <see cref="Basis"/> is known.</summary>
    public string? Unavailable { get; init; }

    /// <summary>The verdict that counts, or null.</summary>
    public GateVerdictRecord? Verdict { get; init; }

    /// <summary>
    /// A verdict of the pair newer than the pass on today's basis, computed on other inputs, that did not pass: the pass
    /// then does not count (this process's files may be the stale ones). Null when there is none.
    /// </summary>
    public GateVerdictRecord? NewerNotPassed { get; init; }

    /// <summary>Blocked verdicts of the same pair on the same basis, older than <see cref="Verdict"/>: a pass after blocks is a re-roll.</summary>
    public int EarlierBlocked { get; init; }

    /// <summary>Verdicts of the pair computed on another dataset (any scorers).</summary>
    public int OtherDataset { get; init; }

    /// <summary>Verdicts of the pair computed on today's dataset with other scorers.</summary>
    public int OtherScorers { get; init; }

    /// <summary>Verdicts of the pair computed on today's dataset and scorers under another gate rule, or with none recorded.</summary>
    public int OtherRules { get; init; }

    /// <summary>The newest of <see cref="OtherRules"/>, for the message that says which rule it was computed under; null when none.</summary>
    public GateVerdictRecord? OtherRule { get; init; }

    public bool Passed => Verdict is { Passed: true };

    /// <summary>" (2 earlier runs of this pair blocked)", or "" when none did.</summary>
    public string EarlierBlockedNote => EarlierBlocked switch
    {
        0 => "",
        1 => " (1 earlier run of this pair blocked)",
        var n => string.Create(CultureInfo.InvariantCulture, $" ({n} earlier runs of this pair blocked)"),
    };

    /// <summary>
    /// One sentence on the evidence: what passed and on what, or why nothing that passed counts. <paramref name="candidate"/>
    /// and <paramref name="baseline"/> are the names to show ("v3", "production's stable v2").
    /// </summary>
    public string Describe(string candidate, string baseline)
    {
        if (Unavailable is { } why)
        {
            return $"no gate verdict for {candidate} against {baseline} can count: {why}";
        }

        var basis = Basis!;
        if (NewerNotPassed is { } newer)
        {
            var when = newer.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            return basis.HoldsInputs(newer)
                ? $"a newer gate of {candidate} against {baseline} ({when} UTC) is '{newer.Result}', under another gate rule ({RuleAgainstToday(newer, basis)}): gate again under the current rule"
                : $"a newer gate of {candidate} against {baseline} ({when} UTC, on dataset sha256 {Short(newer.DatasetSha256)}, scorers {Short(newer.JudgeVersion ?? "none")}) is '{newer.Result}', on other inputs than the {basis.Dataset} (sha256 {Short(basis.DatasetSha256)}) this process reads: gate again on the current dataset and scorers";
        }

        if (Verdict is { } v)
        {
            var at = v.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            return v.Passed
                ? $"passed against {baseline} on {basis.Dataset} (sha256 {Short(basis.DatasetSha256)}, scorers {Short(basis.ScorerVersion)}) at {at} UTC{EarlierBlockedNote}{VerdictWarnings.Note(v.DetailsJson)}"
                : $"the latest gate verdict for {candidate} against {baseline} on the current dataset and scorers is '{v.Result}' ({at} UTC)";
        }

        if (OtherRule is { } other)
        {
            var which = other.Passed ? $"{candidate}'s passing verdict against {baseline}" : $"{candidate}'s latest verdict against {baseline} ('{other.Result}')";
            // No "gate again" here: promote and rollout start add the command to run, the checklist its own action.
            return other.GateRuleSha256 is null
                ? $"{which} was stored before verdicts recorded their gate rule, so it counts for nothing"
                : $"{which} was computed under another gate rule ({RuleAgainstToday(other, basis)})";
        }

        return (OtherDataset, OtherScorers) switch
        {
            (0, 0) => $"no passing gate verdict for {candidate} against {baseline}",
            (0, _) => $"verdicts for {candidate} against {baseline} exist, but for other scorers: eval.scorers (or a rubric or schema they read) changed since (now scorers {Short(basis.ScorerVersion)})",
            (_, 0) => $"verdicts for {candidate} against {baseline} exist, but for another dataset: {basis.Dataset} changed since (now sha256 {Short(basis.DatasetSha256)})",
            _ => $"verdicts for {candidate} against {baseline} exist, but for another dataset or other scorers: {basis.Dataset} (now sha256 {Short(basis.DatasetSha256)}) and eval.scorers (now {Short(basis.ScorerVersion)}) are not what they were computed on",
        };
    }

    // "max_case_regressions 100, now 0"; a rule that cannot be read, or reads as today's but hashes otherwise (a store's
    // value is not trusted), is named by its hash.
    private static string RuleAgainstToday(GateVerdictRecord verdict, GateBasis basis) =>
        VerdictRule.Parse(verdict.GateRule) is { } rule && rule.AgainstToday(basis.Rule) is { Length: > 0 } differences
            ? differences
            : verdict.GateRuleSha256 is null
                ? $"none recorded, now {basis.Rule.Describe()}"
                : $"rule sha256 {Short(verdict.GateRuleSha256)}, now {Short(basis.Rule.Sha256)}: {basis.Rule.Describe()}";

    private static string Short(string hex) => hex[..Math.Min(12, hex.Length)];
}
