using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;

namespace Glidepath.Evals.Gate;

/// <summary>
/// One side of one case added up trial by trial, without keeping the trials: passes, trials, the score sum, the
/// errored trials and which trials a report would show (the first, the first passing, the first not passing).
/// </summary>
internal sealed class SideTally
{
    private ScoreSum _scores;
    private List<(int Trial, string Message, bool Transient)>? _errors;
    private int? _first, _firstPassed, _firstNotPassed;

    public int Passes { get; private set; }

    public int Trials { get; private set; }

    /// <summary>
    /// The mean score over the scored trials, or 0 without one. An errored trial is in neither the sum nor the count, as in
    /// the pass rate: until 2026-12-06 it counted 0 here while a run's mean score left it out.
    /// </summary>
    public double MeanScore => Scored == 0 ? 0 : _scores.Value / Scored;

    public bool Errored => _errors is not null;

    /// <summary>The trials that did not error: passed or failed, so measured.</summary>
    public int Scored => Trials - (_errors?.Count ?? 0);

    /// <summary>The errored trials with their messages, by trial number.</summary>
    public IEnumerable<(int Trial, string Message, bool Transient)> Errors => _errors is null ? [] : _errors.OrderBy(e => e.Trial);

    /// <summary>The errored trials whose error a resume is expected to fix (<see cref="TrialResult.TransientError"/>).</summary>
    public int TransientErrors { get; private set; }

    /// <summary>The trial a report shows for the candidate: the first that did not pass, else the first.</summary>
    public int? ShownIfCandidate => _firstNotPassed ?? _first;

    /// <summary>The trial a report shows for the baseline: the first that passed, else the first.</summary>
    public int? ShownIfBaseline => _firstPassed ?? _first;

    public void Add(TrialResult trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        Trials++;
        if (trial.Status != TrialStatus.Error)
        {
            _scores.Add(trial.Score ?? 0);
        }

        First(ref _first, trial.Trial);
        if (trial.Status == TrialStatus.Pass)
        {
            Passes++;
            First(ref _firstPassed, trial.Trial);
        }
        else
        {
            First(ref _firstNotPassed, trial.Trial);
        }

        if (trial.Status == TrialStatus.Error)
        {
            (_errors ??= []).Add((trial.Trial, trial.Error ?? "error", trial.TransientError));
            TransientErrors += trial.TransientError ? 1 : 0;
        }
    }

    // Ties keep the trial seen first, so trials given in trial order pick exactly what the first match in the list would.
    private static void First(ref int? slot, int trial)
    {
        if (slot is null || trial < slot)
        {
            slot = trial;
        }
    }
}
