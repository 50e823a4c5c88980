using Glidepath.Evals.Scorers;

namespace Glidepath.Evals.Runs;

/// <summary>One case × trial of one release in a run: the answer, its scores and how it ended. Persisted as soon as it finishes.</summary>
public sealed record TrialResult
{
    public required string RunId { get; init; }
    public required string ReleaseId { get; init; }
    public required string CaseId { get; init; }
    public required int Trial { get; init; }
    public required TrialStatus Status { get; init; }

    /// <summary>Weighted mean of the applicable scores in [0, 1]; null on error.</summary>
    public double? Score { get; init; }

    public string Output { get; init; } = "";

    /// <summary>Tool calls as <c>name(args-json)</c>, one per entry.</summary>
    public IReadOnlyList<string> ToolCalls { get; init; } = [];
    public double LatencyMs { get; init; }
    public double? CostUsd { get; init; }
    public long? InputTokens { get; init; }
    public long? OutputTokens { get; init; }
    public IReadOnlyList<ScoreOutcome> Scores { get; init; } = [];
    public string? Error { get; init; }

    /// <summary>
    /// The error is one a resume is expected to fix (<see cref="Errors.TransientFailure"/>): the model's or the judge's
    /// provider could not be reached, timed out, was rate limited or answered with a server error. False for an error that
    /// recurs with the same case, expectations and scorers (a refusal of the case, a judge answer that cannot be read), and
    /// for every result stored before 2026-12-07.
    /// </summary>
    public bool TransientError { get; init; }
    public DateTimeOffset FinishedAt { get; init; }

    /// <summary>
    /// Whether the answer came from the response cache: known (true or false) for a trial this process ran, null for one
    /// read back from the store, which does not keep it.
    /// </summary>
    public bool? Cached { get; init; }

    public TrialKey Key => new(ReleaseId, CaseId, Trial);

    /// <summary>Why it did not pass: the error, else each applicable score that failed with its reason (empty for a pass).</summary>
    public string Why => Error ?? string.Join("; ", Scores.Where(s => s.Applicable && !s.Passed).Select(s => $"{s.Scorer}: {s.Reason}"));

    /// <summary>What a report shows as the answer: the text, then any tool calls.</summary>
    public string Display => ToolCalls.Count == 0 ? Output : $"{Output}{(Output.Length > 0 ? "\n" : "")}{string.Join("\n", ToolCalls.Select(t => "→ " + t))}";
}
