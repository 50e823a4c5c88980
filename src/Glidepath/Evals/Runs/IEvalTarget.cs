using Glidepath.Evals.Datasets;

namespace Glidepath.Evals.Runs;

/// <summary>What a run sends cases to: one release behind its model pipeline.</summary>
public interface IEvalTarget
{
    string ReleaseId { get; }

    /// <summary>Sends one case (one trial) and measures it. Provider failures throw; the runner records them as errors.</summary>
    Task<TargetResponse> InvokeAsync(EvalCase evalCase, int trial, CancellationToken cancellationToken);
}
