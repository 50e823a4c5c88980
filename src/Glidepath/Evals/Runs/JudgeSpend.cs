using Glidepath.Evals.Scorers;

namespace Glidepath.Evals.Runs;

/// <summary>
/// What a run's calls to one <c>llm_judge</c> cost while scoring one release's trials: every answer the judge gave, whatever
/// became of its trial (an unreadable answer that errored it, a result a resume then replaced). Stored with the run and
/// added to as results are saved (<see cref="Storage.IEvalRunStore.AddJudgeSpendAsync"/>), so <c>max_spend_usd</c> and the
/// run's judge figures hold across resumes (trial gatejudge2 M2: each resume got back what its replaced errors had cost).
/// </summary>
/// <param name="ReleaseId">The release whose trials the judge scored.</param>
/// <param name="Scorer">The judge's scorer name (<c>llm_judge</c>, <c>llm_judge#2</c>).</param>
public sealed record JudgeSpend(string ReleaseId, string Scorer)
{
    /// <summary>Answers the judge was asked for, not served from the response cache.</summary>
    public int Calls { get; init; }

    /// <summary>What the answers cost, a cached one at what it cost when given; null when none was priced.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>The dearest answer: what the cap counts the next call at.</summary>
    public decimal DearestUsd { get; init; }

    /// <summary>
    /// Calls under <c>max_spend_usd</c> that got no answer (a timeout, a dropped connection): not in <see cref="Calls"/> or
    /// <see cref="CostUsd"/>, which are what answered, but a provider may have billed them (trial gatejudge3 M2).
    /// </summary>
    public int UnansweredCalls { get; init; }

    /// <summary>What the cap counted <see cref="UnansweredCalls"/> at (each at the dearest call known then): a resume's cap starts from it too.</summary>
    public decimal UnansweredUsd { get; init; }

    /// <summary>This spend and <paramref name="other"/> (of the same release and judge) together.</summary>
    public JudgeSpend Plus(JudgeSpend other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with
        {
            Calls = Calls + other.Calls,
            CostUsd = CostUsd is null && other.CostUsd is null ? null : (CostUsd ?? 0) + (other.CostUsd ?? 0),
            DearestUsd = Math.Max(DearestUsd, other.DearestUsd),
            UnansweredCalls = UnansweredCalls + other.UnansweredCalls,
            UnansweredUsd = UnansweredUsd + other.UnansweredUsd,
        };
    }

    /// <summary><paramref name="spent"/> (none recorded: null) with <paramref name="added"/> added entry by entry, in first-seen order.</summary>
    public static IReadOnlyList<JudgeSpend> Merge(IReadOnlyList<JudgeSpend>? spent, IReadOnlyList<JudgeSpend> added)
    {
        ArgumentNullException.ThrowIfNull(added);
        var merged = new List<JudgeSpend>(spent ?? []);
        foreach (var entry in added)
        {
            Add(merged, entry);
        }

        return merged;
    }

    /// <summary>What the judge answers behind <paramref name="results"/> cost, as their scores record it (<see cref="JudgeUsage"/>); empty without a judge.</summary>
    public static IReadOnlyList<JudgeSpend> Of(IEnumerable<TrialResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var spend = new List<JudgeSpend>();
        foreach (var result in results)
        {
            foreach (var score in result.Scores)
            {
                if (JudgeUsage.TryRead(score.Metadata, out var cached, out var usd))
                {
                    Add(spend, new JudgeSpend(result.ReleaseId, score.Scorer) { Calls = cached ? 0 : 1, CostUsd = usd, DearestUsd = usd ?? 0 });
                }
                else if (JudgeUsage.TryReadUnanswered(score.Metadata, out var estimate))
                {
                    Add(spend, new JudgeSpend(result.ReleaseId, score.Scorer) { UnansweredCalls = 1, UnansweredUsd = estimate });
                }
            }
        }

        return spend;
    }

    /// <summary>
    /// The judge calls and cost of <paramref name="releaseId"/>'s trials in <paramref name="spend"/>, every judge together, and
    /// apart from them the calls that got no answer and what the cap counted them at.
    /// </summary>
    public static (int Calls, double? CostUsd, int Unanswered, double UnansweredUsd) For(IReadOnlyList<JudgeSpend> spend, string releaseId)
    {
        ArgumentNullException.ThrowIfNull(spend);
        var (calls, cost, unanswered, estimate) = (0, (decimal?)null, 0, 0m);
        foreach (var entry in spend)
        {
            if (entry.ReleaseId == releaseId)
            {
                calls += entry.Calls;
                cost = entry.CostUsd is { } usd ? (cost ?? 0) + usd : cost;
                unanswered += entry.UnansweredCalls;
                estimate += entry.UnansweredUsd;
            }
        }

        return (calls, cost is { } c ? (double)c : null, unanswered, (double)estimate);
    }

    // A run has a few entries (releases × judges): a linear search.
    private static void Add(List<JudgeSpend> spend, JudgeSpend entry)
    {
        var at = spend.FindIndex(m => m.ReleaseId == entry.ReleaseId && m.Scorer == entry.Scorer);
        if (at < 0)
        {
            spend.Add(entry);
        }
        else
        {
            spend[at] = spend[at].Plus(entry);
        }
    }
}
