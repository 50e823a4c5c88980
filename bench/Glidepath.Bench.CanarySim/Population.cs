namespace Glidepath.Bench.CanarySim;

/// <summary>
/// Sticky subjects that differ, as real users do: heavy-tailed activity (Pareto, a few subjects send most
/// requests), a per-subject latency factor, and a share of error-prone subjects. Each subject has a fixed bucket
/// (canary when below the weight) and a fixed subject group, as the gateway gives them.
/// </summary>
internal sealed class Population
{
    private readonly double[] cumulative;
    private readonly double[] latencyFactor;
    private readonly bool[] errorProne;
    private readonly double[] bucket;
    private readonly int[] group;

    /// <param name="subjects">Number of subjects; 0 means per-request routing (every request a new subject).</param>
    /// <param name="activityShape">Pareto shape of activity (smaller = heavier tail); ∞ for equal activity.</param>
    /// <param name="latencySigma">Sigma of the per-subject lognormal latency factor.</param>
    /// <param name="errorProneShare">Share of subjects whose requests fail at <see cref="ErrorProneRate"/>.</param>
    /// <param name="heaviestErrorProne">The most active subjects, this many, are error-prone too (users whose own errors follow them to either arm).</param>
    public Population(Rng rng, int subjects, double activityShape = 1.2, double latencySigma = 0.4, double errorProneShare = 0.02, double errorProneRate = 0.2, int heaviestErrorProne = 0)
    {
        Subjects = subjects;
        ErrorProneRate = errorProneRate;
        cumulative = new double[subjects];
        latencyFactor = new double[subjects];
        errorProne = new bool[subjects];
        bucket = new double[subjects];
        group = new int[subjects];
        double total = 0;
        for (var i = 0; i < subjects; i++)
        {
            total += double.IsPositiveInfinity(activityShape) ? 1 : Math.Pow(1 - rng.NextDouble(), -1 / activityShape);
            cumulative[i] = total;
            latencyFactor[i] = Math.Exp(latencySigma * rng.Normal());
            errorProne[i] = rng.Bernoulli(errorProneShare);
            bucket[i] = rng.NextDouble() * 100;
            group[i] = (int)(rng.NextDouble() * Glidepath.Traces.SubjectGroups.Count);
        }

        if (heaviestErrorProne > 0)
        {
            var activity = Enumerable.Range(0, subjects).Select(i => (Index: i, Weight: cumulative[i] - (i == 0 ? 0 : cumulative[i - 1])));
            foreach (var (index, _) in activity.OrderByDescending(a => a.Weight).Take(heaviestErrorProne))
            {
                errorProne[index] = true;
            }
        }
    }

    public int Subjects { get; }
    public double ErrorProneRate { get; }

    /// <summary>The next request's subject: drawn by activity. Per-request routing draws a fresh one each time.</summary>
    public Subject Next(Rng rng)
    {
        if (Subjects == 0)
        {
            return new Subject(rng.NextDouble() * 100, (int)(rng.NextDouble() * Glidepath.Traces.SubjectGroups.Count), 1, false);
        }

        var x = rng.NextDouble() * cumulative[^1];
        var i = Array.BinarySearch(cumulative, x);
        i = i < 0 ? ~i : i;
        i = Math.Min(i, Subjects - 1);
        return new Subject(bucket[i], group[i], latencyFactor[i], errorProne[i]);
    }
}

/// <summary>A subject as a request sees it: its sticky bucket and group, its own latency factor, whether it is error-prone.</summary>
internal readonly record struct Subject(double Bucket, int Group, double LatencyFactor, bool ErrorProne);
