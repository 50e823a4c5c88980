namespace Glidepath.Evals.Runs;

/// <summary>Identifies one unit of work in a run: which release, which case, which trial (0-based).</summary>
public readonly record struct TrialKey(string ReleaseId, string CaseId, int Trial);
