namespace Glidepath.Evals.Scorers;

/// <summary>
/// A trial's claim on the headroom of each judge with a <c>max_spend_usd</c>, taken before its release is asked
/// (<see cref="ScorerSet.AdmitAsync"/>), so no more trials ask the release than the judges can score. The trial's judge call
/// uses the claim up (it flows with the trial's calls, <see cref="Enter"/>); a trial that ends without one gives it back when
/// this is disposed.
/// </summary>
internal sealed class TrialAdmission : IDisposable
{
    private static readonly AsyncLocal<TrialAdmission?> Current = new();

    private readonly List<JudgeSpendLimit> _unused = [];

    /// <summary>Admitted by <paramref name="limit"/> (<see cref="JudgeSpendLimit.AdmitAsync"/>).</summary>
    public void Add(JudgeSpendLimit limit)
    {
        lock (_unused)
        {
            _unused.Add(limit);
        }
    }

    /// <summary>Makes this the admission of the calling flow: the trial's release call and scorers, which run inside it.</summary>
    public void Enter() => Current.Value = this;

    /// <summary>Whether the trial of the calling flow holds an unused admission of <paramref name="limit"/>; if so its call takes it.</summary>
    public static bool Take(JudgeSpendLimit limit)
    {
        if (Current.Value is not { } admission)
        {
            return false;
        }

        lock (admission._unused)
        {
            return admission._unused.Remove(limit);
        }
    }

    public void Dispose()
    {
        List<JudgeSpendLimit> unused;
        lock (_unused)
        {
            unused = [.. _unused];
            _unused.Clear();
        }

        foreach (var limit in unused)
        {
            limit.Unadmit();
        }
    }
}
