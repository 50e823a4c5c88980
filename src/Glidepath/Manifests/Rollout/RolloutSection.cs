using Glidepath.Traces;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>
/// Reads the manifest's <c>rollout:</c> section into a <see cref="RolloutPlan"/>: increasing steps ending at 100,
/// the step policy, a tolerance of the right kind per known metric, the judge's confidence, <c>on_inconclusive</c> and
/// <c>max_hold</c>.
/// </summary>
internal static class RolloutSection
{
    public static RolloutPlan? Parse(YamlNodeReader r, YamlMappingNode? map)
    {
        if (map is null)
        {
            return null;
        }

        r.CheckKeys(map, "rollout", ["steps", "step", "metrics", "confidence", "on_inconclusive", "max_hold"]);
        var plan = new RolloutPlan();
        var steps = Steps(r, YamlNodeReader.Get(map, "steps"));

        int? minRequests = null;
        int? minSubjects = null;
        TimeSpan? maxDuration = null;
        if (r.Mapping(YamlNodeReader.Get(map, "step"), "rollout.step") is { } sm)
        {
            r.CheckKeys(sm, "rollout.step", ["min_requests", "min_subjects", "max_duration"]);
            minRequests = r.Int(YamlNodeReader.Get(sm, "min_requests"), "min_requests", 1);
            minSubjects = r.Int(YamlNodeReader.Get(sm, "min_subjects"), "min_subjects", 2, SubjectGroups.Count / 2);
            maxDuration = r.Duration(YamlNodeReader.Get(sm, "max_duration"), "max_duration");
        }

        var metrics = Metrics(r, r.Mapping(YamlNodeReader.Get(map, "metrics"), "rollout.metrics"));
        var onInconclusive = r.String(YamlNodeReader.Get(map, "on_inconclusive"), "on_inconclusive");
        if (onInconclusive is not null and not ("hold" or "rollback"))
        {
            r.Error(YamlNodeReader.Get(map, "on_inconclusive"), $"on_inconclusive '{onInconclusive}' is not known; expected hold or rollback");
        }

        return plan with
        {
            Steps = steps.Count > 0 ? steps : plan.Steps,
            MinRequests = minRequests ?? plan.MinRequests,
            MinSubjects = minSubjects ?? plan.MinSubjects,
            MaxDuration = maxDuration ?? plan.MaxDuration,
            Metrics = metrics,
            Confidence = r.Double(YamlNodeReader.Get(map, "confidence"), "rollout.confidence", 0.5, 0.9999) ?? plan.Confidence,
            OnInconclusive = onInconclusive ?? plan.OnInconclusive,
            MaxHold = r.Duration(YamlNodeReader.Get(map, "max_hold"), "max_hold"),
        };
    }

    private static List<double> Steps(YamlNodeReader r, YamlNode? stepsNode)
    {
        var steps = new List<double>();
        if (stepsNode is YamlSequenceNode seq)
        {
            double last = 0;
            foreach (var item in seq.Children)
            {
                if (r.Double(item, "a rollout step", Glidepath.Rollouts.RolloutSteps.MinStep, 100) is { } w)
                {
                    if (w <= last)
                    {
                        r.Error(item, $"rollout step {w} is not above the previous step {last}; expected increasing percentages ending at 100");
                    }

                    steps.Add(w);
                    last = w;
                }
            }

            if (steps.Count > 0 && steps[^1] != 100)
            {
                r.Error(stepsNode, "the last rollout step must be 100; expected e.g. [1, 5, 25, 50, 100]");
            }
        }
        else if (stepsNode is not null)
        {
            r.Error(stepsNode, "rollout.steps must be a list; expected e.g. [1, 5, 25, 50, 100]");
        }

        return steps;
    }

    private static Dictionary<string, MetricTolerance> Metrics(YamlNodeReader r, YamlMappingNode? mm)
    {
        var metrics = new Dictionary<string, MetricTolerance>(StringComparer.Ordinal);
        if (mm is null)
        {
            return metrics;
        }

        r.CheckKeys(mm, "rollout.metrics", RolloutPlan.KnownMetrics.ToArray());
        foreach (var (metric, v) in r.Entries(mm, "rollout.metrics", reportOthers: false))
        {
            // A metric CheckKeys just declared unknown (a typo: 'eror_rate') has no kind of tolerance to check its
            // mapping against: reading it would add a second, misleading error about its own correct key (newcomer L2).
            if (ToleranceKeys(metric) is not { } allowed || r.Mapping(v, $"rollout.metrics.{metric}") is not { } tm)
            {
                continue;
            }

            r.CheckKeys(tm, $"rollout.metrics.{metric}", allowed);

            // Only the metric's own key is read: one CheckKeys just declared unknown is not validated a second time.
            double? Tolerance(string key, double min, double max) =>
                allowed.Contains(key) ? r.Double(YamlNodeReader.Get(tm, key), $"rollout.metrics.{metric}.{key}", min, max) : null;
            metrics[metric] = new MetricTolerance
            {
                MaxIncrease = Tolerance("max_increase", 0, 1),
                MaxDrop = Tolerance("max_drop", 0, 1),
                MaxRatio = Tolerance("max_ratio", 1, 100),
            };
        }

        return metrics;
    }

    /// <summary>The one tolerance key each known metric takes; null for a name that is not a metric.</summary>
    internal static string[]? ToleranceKeys(string metric) => metric switch
    {
        "error_rate" or "retry_rate" or "cancel_rate" or "latency_p95" or "latency_p99" => ["max_increase"],
        "latency" or "first_token_latency" or "cost_per_call" => ["max_ratio"],
        "online_score" or "online_pass_rate" or "feedback" => ["max_drop"],
        _ => null,
    };
}
