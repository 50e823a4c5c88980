namespace Glidepath.Rollouts;

public readonly partial record struct ArmSample
{
    /// <summary>
    /// The most one subject group may weigh in a step's statistics, as a multiple of the median group's requests
    /// (over the groups that saw any): see <see cref="CapSubjects"/>.
    /// </summary>
    public const double SubjectWeightCap = 3;

    /// <summary>Below this many requests a group is never scaled down, however small the median.</summary>
    public const double SubjectWeightFloor = 5;

    /// <summary>
    /// The sample with each subject group's weight capped: a group with more requests than
    /// max(<see cref="SubjectWeightCap"/> × the median group, <see cref="SubjectWeightFloor"/>) is scaled down to that
    /// many, every count and sum in proportion, so it keeps its own rates and means but cannot outweigh the rest. A
    /// subject always falls in the same group, so one caller who pins a sticky key and floods an arm moves the arm's
    /// estimate by at most a few groups' worth. A group's feedback counts at most one vote per request
    /// (<see cref="FeedbackAtMostRequests"/>). Counts are rounded to whole requests. Returns the sample itself when no
    /// group is over the cap or the sample keeps no groups.
    /// </summary>
    public ArmSample CapSubjects()
    {
        if (Groups is not { Length: > 0 } groups)
        {
            return this;
        }

        var cap = Cap(groups);
        var over = false;
        foreach (var g in groups)
        {
            over |= g.Requests > cap || g.FeedbackCount > g.Requests;
        }

        if (!over)
        {
            return this;
        }

        var capped = new ArmSample[groups.Length];
        var total = default(ArmSample);
        for (var i = 0; i < groups.Length; i++)
        {
            var g = groups[i].FeedbackCount > groups[i].Requests ? groups[i].FeedbackAtMostRequests() : groups[i];
            capped[i] = g.Requests > cap ? g.Scaled(cap / g.Requests) : g;
            total = Totals(total, capped[i], +1);
        }

        return total with { Groups = capped };
    }

    private static double Cap(ArmSample[] groups)
    {
        Span<long> sizes = groups.Length <= 1024 ? stackalloc long[groups.Length] : new long[groups.Length];
        var k = 0;
        foreach (var g in groups)
        {
            if (g.Requests > 0)
            {
                sizes[k++] = g.Requests;
            }
        }

        if (k == 0)
        {
            return double.PositiveInfinity;
        }

        var seen = sizes[..k];
        seen.Sort();
        var median = k % 2 == 1 ? seen[k / 2] : (seen[(k / 2) - 1] + seen[k / 2]) / 2.0;
        return Math.Max(SubjectWeightCap * median, SubjectWeightFloor);
    }

    /// <summary>
    /// This group with at most one vote of feedback per request, its positive share kept: the store keeps one vote per
    /// trace, so more votes than requests means votes from elsewhere (an older store, a bug), and they must not outweigh
    /// the group's requests.
    /// </summary>
    private ArmSample FeedbackAtMostRequests() => this with
    {
        FeedbackCount = Requests,
        FeedbackPositive = Round(FeedbackPositive, (double)Requests / FeedbackCount),
    };

    /// <summary>This group with every count and sum multiplied by <paramref name="f"/> (0 &lt; f &lt; 1), counts rounded.</summary>
    private ArmSample Scaled(double f)
    {
        // Counts are whole; each sum is scaled by its own count's actual factor (rounded count ÷ count), so a mean
        // (sum ÷ count) is the group's own, not shifted by the rounding (with a mean log latency near 6.7, half a
        // request's rounding moved the estimate and inflated the variance: found by an independent review).
        var requests = Round(Requests, f);
        var latencyCount = Round(LatencyCount, f);
        var onlineScored = Round(OnlineScored, f);
        var firstTokens = Round(FirstTokenCount, f);
        return new ArmSample
        {
            Requests = requests,
            Errors = Round(Errors, f),
            OneArmErrors = Round(OneArmErrors, f),
            ProviderCalls = Round(ProviderCalls, f),
            RetriedCalls = Round(RetriedCalls, f),
            Cancelled = Round(Cancelled, f),
            LatencyCount = latencyCount,
            LogLatencySum = LogLatencySum * Factor(latencyCount, LatencyCount, f),
            LogLatencySquares = LogLatencySquares * Factor(latencyCount, LatencyCount, f),
            CostSum = CostSum * Factor(latencyCount, LatencyCount, f),
            CostSquares = CostSquares * Factor(latencyCount, LatencyCount, f),
            OnlineScored = onlineScored,
            OnlinePassed = Round(OnlinePassed, f),
            OnlineScoreSum = OnlineScoreSum * Factor(onlineScored, OnlineScored, f),
            OnlineScoreSquares = OnlineScoreSquares * Factor(onlineScored, OnlineScored, f),
            FirstTokenCount = firstTokens,
            LogFirstTokenSum = LogFirstTokenSum * Factor(firstTokens, FirstTokenCount, f),
            LogFirstTokenSquares = LogFirstTokenSquares * Factor(firstTokens, FirstTokenCount, f),
            FeedbackCount = Round(FeedbackCount, f),
            FeedbackPositive = Round(FeedbackPositive, f),
            LatencyHistogram = ScaledHistogram(LatencyHistogram, f, latencyCount),
        };
    }

    private static double Factor(long rounded, long count, double f) => count > 0 ? (double)rounded / count : f;

    private static long Round(long n, double f) => (long)Math.Round(n * f, MidpointRounding.AwayFromZero);

    /// <summary>Each bucket scaled by f, rounded by largest remainder so the buckets still add up to <paramref name="total"/>.</summary>
    private static long[]? ScaledHistogram(long[]? histogram, double f, long total)
    {
        if (histogram is null || histogram.Length == 0)
        {
            return histogram;
        }

        var result = new long[histogram.Length];
        var remainders = new double[histogram.Length];
        long sum = 0;
        for (var i = 0; i < histogram.Length; i++)
        {
            var exact = histogram[i] * f;
            result[i] = (long)Math.Floor(exact);
            remainders[i] = exact - result[i];
            sum += result[i];
        }

        for (; sum < total; sum++)
        {
            var best = 0;
            for (var i = 1; i < remainders.Length; i++)
            {
                best = remainders[i] > remainders[best] ? i : best;
            }

            result[best]++;
            remainders[best] = -1;
        }

        return result;
    }
}
