namespace Glidepath.Shadow;

/// <summary>
/// What the shadows of one release against one stable release show, for the checklist and <c>rollout start
/// --require-shadow</c>. A release never changes, so a shadow judged harm is evidence no later shadow of it undoes: a
/// pass counts only when no shadow of the release against that stable was judged harm (otherwise starting shadows until
/// one passes would turn a real harm into a pass, at the judge's error rate per shadow).
/// </summary>
/// <param name="Reports">Every shadow of the release, newest first, judged on its pairs against that stable.</param>
public sealed record ShadowEvidence(IReadOnlyList<ShadowReport> Reports)
{
    /// <summary>The newest shadow judged harm, or null.</summary>
    public ShadowReport? Harmed => Reports.FirstOrDefault(r => r.Decision.Outcome == PairedOutcome.Harm);

    /// <summary>The newest shadow the judge passes, when no shadow was judged harm; else null.</summary>
    public ShadowReport? Passed => Harmed is null ? Reports.FirstOrDefault(r => r.Decision.Outcome == PairedOutcome.Pass) : null;

    /// <summary>The newest shadow, or null when none ran.</summary>
    public ShadowReport? Latest => Reports.Count > 0 ? Reports[0] : null;
}
