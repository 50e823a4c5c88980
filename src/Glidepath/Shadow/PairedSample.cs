using Glidepath.Traces;

namespace Glidepath.Shadow;

/// <summary>
/// Sufficient statistics of a shadow comparison: for each paired metric, the count, sum and sum of squares of the
/// per-input differences candidate − stable, in total and per subject group. The differences are formed input by
/// input, so what varies between inputs (a hard question is slow and scores low on both sides) cancels.
/// </summary>
public sealed class PairedSample
{
    /// <summary>The paired metrics, in the order they are judged and shown.</summary>
    public static readonly IReadOnlyList<string> Metrics =
        ["error_rate", "latency", "cost_per_call", "online_pass_rate", "online_score", PairwiseMetric];

    /// <summary>The pairwise judge's win rate of the candidate, judged as win rate − 0.5.</summary>
    public const string PairwiseMetric = "pairwise_win_rate";

    private readonly Dictionary<string, Sums[]> _sums = Metrics.ToDictionary(m => m, _ => new Sums[SubjectGroups.Count + 1], StringComparer.Ordinal);
    private readonly long[] _pairsPerGroup = new long[SubjectGroups.Count];

    /// <summary>Pairs added, whatever each contributed.</summary>
    public long Pairs { get; private set; }

    /// <summary>Kish's effective number of subject groups over the pairs: (Σ n_g)² / Σ n_g².</summary>
    public double EffectiveSubjects
    {
        get
        {
            double sum = 0, squares = 0;
            foreach (var n in _pairsPerGroup)
            {
                sum += n;
                squares += (double)n * n;
            }

            return squares == 0 ? 0 : sum * sum / squares;
        }
    }

    /// <summary>Adds one pair: each metric takes its difference when both sides have the value.</summary>
    public void Add(in ShadowPair pair) => Add(pair, 1);

    /// <summary>
    /// Adds <paramref name="count"/> copies of one pair at once (the same sums as adding it that many times): the
    /// judge's best case at any number of pairs (<see cref="PairsForPass"/>) without building it pair by pair.
    /// </summary>
    public void Add(in ShadowPair pair, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var g = Math.Clamp(pair.Group, 0, SubjectGroups.Count - 1);
        Pairs += count;
        _pairsPerGroup[g] += count;
        Add("error_rate", g, (pair.CandidateError ? 1 : 0) - (pair.StableError ? 1 : 0), count);
        if (pair is { StableLatencyMs: > 0 and var ls, CandidateLatencyMs: > 0 and var lc, StableError: false, CandidateError: false })
        {
            Add("latency", g, Math.Log(lc) - Math.Log(ls), count);
        }

        // Both answered, as the canary judge's cost covers answered requests only (a failed stable call is paired too).
        if (pair is { StableCost: > 0 and var cs, CandidateCost: > 0 and var cc, StableError: false, CandidateError: false })
        {
            Add("cost_per_call", g, Math.Log(cc) - Math.Log(cs), count);
        }

        if (pair is { StablePassed: { } ps, CandidatePassed: { } pc })
        {
            Add("online_pass_rate", g, (pc ? 1 : 0) - (ps ? 1 : 0), count);
        }

        if (pair is { StableScore: { } ss, CandidateScore: { } sc })
        {
            Add("online_score", g, Math.Clamp(sc, 0, 1) - Math.Clamp(ss, 0, 1), count);
        }

        if (pair.CandidatePreference is { } w)
        {
            Add(PairwiseMetric, g, Math.Clamp(w, 0, 1) - 0.5, count);
        }
    }

    /// <summary>The metric's differences over all pairs.</summary>
    public Sums Total(string metric) => _sums[metric][SubjectGroups.Count];

    /// <summary>The metric's differences in one subject group.</summary>
    public Sums Group(string metric, int group) => _sums[metric][group];

    private void Add(string metric, int group, double d, long count)
    {
        var sums = _sums[metric];
        sums[group] = sums[group].Add(d, count);
        sums[SubjectGroups.Count] = sums[SubjectGroups.Count].Add(d, count);
    }

    /// <summary>Count, sum and sum of squares of one metric's differences.</summary>
    public readonly record struct Sums(long N, double Sum, double Squares)
    {
        public Sums Add(double d) => Add(d, 1);

        /// <summary>The sums with <paramref name="count"/> more differences equal to <paramref name="d"/>.</summary>
        public Sums Add(double d, long count) => new(N + count, Sum + (count * d), Squares + (count * d * d));

        public double Mean => N == 0 ? double.NaN : Sum / N;
    }
}
