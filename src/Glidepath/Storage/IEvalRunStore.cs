using Glidepath.Evals.Runs;

namespace Glidepath.Storage;

/// <summary>Eval runs and their case × trial results, written incrementally so that a run can be resumed.</summary>
public interface IEvalRunStore
{
    /// <summary>Stores a new run, with its <see cref="EvalRun.JudgeSpend"/> as given (null: none recorded).</summary>
    Task CreateAsync(EvalRun run, CancellationToken cancellationToken);

    /// <summary>The run with this id, or the only one whose id starts with it; null when none.</summary>
    Task<EvalRun?> GetAsync(string app, string idOrPrefix, CancellationToken cancellationToken);

    /// <summary>Most recent first.</summary>
    Task<IReadOnlyList<EvalRun>> ListAsync(string app, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Saves finished results in one transaction. A result already stored for the same key is kept (first write wins),
    /// unless it is an error: a resumed run asks an errored trial again, and the new result replaces the error in its place.
    /// </summary>
    Task SaveResultsAsync(IReadOnlyList<TrialResult> results, CancellationToken cancellationToken);

    Task<IReadOnlyList<TrialResult>> ResultsAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// The run's results one at a time, without holding them all: in the order they were saved, or with
    /// <paramref name="notPassedOnly"/> the failures then the errors, each by case id (ordinal), then in the order saved.
    /// </summary>
    IAsyncEnumerable<TrialResult> ReadResultsAsync(string runId, bool notPassedOnly, CancellationToken cancellationToken);

    /// <summary>The keys already finished with a result, pass or fail: what a resumed run skips (it asks an errored trial again).</summary>
    Task<IReadOnlySet<TrialKey>> CompletedAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="spend"/> to the run's <see cref="EvalRun.JudgeSpend"/> in one step (to none when it has none
    /// recorded): per release and judge, the calls and the cost summed, the dearest answer kept (<see cref="JudgeSpend.Merge"/>).
    /// Called before the results whose judge answers it counts are saved, so what was billed is counted even if they are not.
    /// A run that is not there is an error, and nothing is written.
    /// </summary>
    Task AddJudgeSpendAsync(string runId, IReadOnlyList<JudgeSpend> spend, CancellationToken cancellationToken);

    /// <summary>
    /// Takes or renews the run's lease (<see cref="EvalRunLease"/>) for <paramref name="lease"/>'s holder, in one step: when
    /// the run has none, when that holder has it (a renewal: the expiry moves, <see cref="EvalRunLease.Since"/> stays), when
    /// the lease there has lapsed at <paramref name="now"/>, or when its holder is <paramref name="takeOverFrom"/> (a holder
    /// found gone). Returns null when the holder has it now, otherwise the lease that stands. A run that is not there is an
    /// error, and nothing is written.
    /// </summary>
    Task<EvalRunLease?> TryLeaseAsync(string runId, EvalRunLease lease, DateTimeOffset now, string? takeOverFrom, CancellationToken cancellationToken);

    /// <summary>The run's lease as last written (possibly lapsed); null when none is held.</summary>
    Task<EvalRunLease?> LeaseAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Gives the run's lease up, only if <paramref name="holder"/> holds it.</summary>
    Task ReleaseLeaseAsync(string runId, string holder, CancellationToken cancellationToken);

    /// <summary>Moves a run to <paramref name="status"/>; <paramref name="finishedAt"/> is set when it finished.</summary>
    Task SetStatusAsync(string runId, EvalRunStatus status, DateTimeOffset? finishedAt, CancellationToken cancellationToken);
}
