namespace Glidepath.Evals.Runs;

/// <summary>How to run: which cases, how many trials, how many calls at once, or which stopped run to continue. Unset values come from the manifest's <c>eval:</c> section.</summary>
public sealed record EvalRunOptions
{
    /// <summary>The dataset path, relative to the manifest (default: <c>eval.dataset</c>).</summary>
    public string? Dataset { get; init; }

    /// <summary>Only cases carrying one of these tags (all cases when empty).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Runs per case (default: <c>eval.trials</c>).</summary>
    public int? Trials { get; init; }

    /// <summary>Model calls in flight at once (default: <c>eval.concurrency</c>, else 8). Also applies to a resumed run.</summary>
    public int? Concurrency { get; init; }

    /// <summary>The id (or a unique prefix) of a stopped run to continue instead of starting a new one.</summary>
    public string? Resume { get; init; }
}
