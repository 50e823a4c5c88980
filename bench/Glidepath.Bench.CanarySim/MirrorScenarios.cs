namespace Glidepath.Bench.CanarySim;

/// <summary>
/// The real-traffic suite's mirror-case rows (outside trial drift4, a review of the mirror change, task canarymirror): one
/// caller pinned to stable whose requests all fail, or are very slow or dear, beside a canary; and few sticky subjects whose
/// own levels differ, exactly at the tolerance. Listed after the suite's other rows, in this order, so every row keeps its
/// seeds.
/// </summary>
internal static class MirrorScenarios
{
    public static RealScenario[] All(Traffic stable) =>
    [
        // The mirror case (outside trial drift4): a subject whose every request fails, on stable. Leaving stable's most
        // harmful group out of the harm side must not roll back an equal canary, nor one exactly at the tolerance.
        new("m-aa", "error_rate only: A/A at 1% errors, 0.3% of 2,000 subjects failing every request on either arm, 5% canary", 2_000, 0.05, stable, false, 8000,
            Stable: stable, ErrorProneShare: 0.003, ErrorProneRate: 1.0, OnlyMetric: "error_rate"),
        new("m-aa-25", "error_rate only: A/A at 1% errors, the most active of 300 subjects failing every request on either arm, 25% canary", 300, 0.25, stable, false, 4000,
            Stable: stable, ErrorProneShare: 0, ErrorProneRate: 1.0, HeaviestErrorProne: 1, OnlyMetric: "error_rate"),
        new("m-edge", "error_rate only: errors 1% → 2% (exactly the tolerance), 0.3% of 2,000 subjects failing every request on either arm, 5% canary", 2_000, 0.05, stable with { ErrorRate = 0.02 }, false, 8000,
            Stable: stable, ErrorProneShare: 0.003, ErrorProneRate: 1.0, OnlyMetric: "error_rate", AtTolerance: true),
        new("m-stable", "error_rate only: A/A at 1% errors, 2,000 subjects, and one caller on stable failing every request (3% of stable's), 5% canary", 2_000, 0.05, stable, false, 8000,
            Stable: stable, OnlyMetric: "error_rate", StableCallerShare: 0.03),
        new("m-stable-edge", "error_rate only: errors 1% → 2% (exactly the tolerance), 2,000 subjects, and one caller on stable failing every request (3% of stable's), 5% canary", 2_000, 0.05, stable with { ErrorRate = 0.02 }, false, 8000,
            Stable: stable, OnlyMetric: "error_rate", StableCallerShare: 0.03, AtTolerance: true),
        new("m-stable-edge-25", "error_rate only: errors 1% → 2% (exactly the tolerance), 300 subjects, the 3 most active failing 30% on either arm, and one caller on stable failing every request (5% of stable's), 25% canary", 300, 0.25, stable with { ErrorRate = 0.02 }, false, 4000,
            Stable: stable, ErrorProneShare: 0, ErrorProneRate: 0.3, HeaviestErrorProne: 3, OnlyMetric: "error_rate", StableCallerShare: 0.05, AtTolerance: true),
        new("m-hide", "error_rate only: errors 1% → 5% on a canary, and one caller on stable failing every request (3% of stable's) (trial drift4), 2,000 subjects, 5% canary", 2_000, 0.05, stable with { ErrorRate = 0.05 }, true, 8000,
            Stable: stable, OnlyMetric: "error_rate", StableCallerShare: 0.03,
            VarianceCanary: 0.05 * 0.95, VarianceStable: 0.04 * 0.96, Effect: 0.04, Tolerance: 0.01),
        // A review of the mirror change (2026-12-07): few sticky subjects whose own latency, cost or error levels differ,
        // exactly at the tolerance, where leaving stable's dominant group out of a canary's harm side raised false harm
        // (cost 0.5% → 1.4% of 2,000 at 40 subjects); canaries keep stable's group since. The exactly-at-the-tolerance rows
        // are held to α/2 (task canarymirror): at 40 subjects the judge itself sits there (cost 11, latency 8 of 2,000, seed 1).
        new("x-lat-aa-50", "latency only: A/A, 40 subjects, subject latency sigma 0.8, 50% canary, min_subjects 5", 40, 0.5, stable, false, 4000, Stable: stable, OnlyMetric: "latency", MinSubjects: 5, SubjectSigma: 0.8),
        new("x-lat-edge-50", "latency only: ×1.25 exactly the tolerance, 40 subjects, sigma 0.8, 50% canary, min_subjects 5", 40, 0.5, stable with { LatencyFactor = 1.25 }, false, 4000, Stable: stable, OnlyMetric: "latency", MinSubjects: 5, SubjectSigma: 0.8, AtTolerance: true),
        new("x-lat-edge-25", "latency only: ×1.25 exactly, 300 subjects, sigma 0.8, 25% canary", 300, 0.25, stable with { LatencyFactor = 1.25 }, false, 4000, Stable: stable, OnlyMetric: "latency", SubjectSigma: 0.8, AtTolerance: true),
        new("x-cost-edge-50", "cost only: ×1.15 exactly, 40 subjects, subject cost factor sigma 0.8, 50% canary, min_subjects 5", 40, 0.5, stable with { CostFactor = 1.15, SubjectCost = true }, false, 4000, Stable: stable with { SubjectCost = true }, OnlyMetric: "cost_per_call", MinSubjects: 5, SubjectSigma: 0.8, AtTolerance: true),
        new("x-cost-edge-25", "cost only: ×1.15 exactly, 300 subjects, sigma 1.0, 25% canary", 300, 0.25, stable with { CostFactor = 1.15, SubjectCost = true }, false, 4000, Stable: stable with { SubjectCost = true }, OnlyMetric: "cost_per_call", SubjectSigma: 1.0, AtTolerance: true),
        new("x-err-edge-50", "error_rate only: 1% → 2% exactly, 40 subjects, 10% error-prone failing 30%, 50% canary, min_subjects 5", 40, 0.5, stable with { ErrorRate = 0.02 }, false, 4000, Stable: stable, ErrorProneShare: 0.1, ErrorProneRate: 0.3, OnlyMetric: "error_rate", MinSubjects: 5, AtTolerance: true),
        new("x-err-edge-25", "error_rate only: 1% → 2% exactly, 300 subjects, 5% error-prone failing 50%, 25% canary", 300, 0.25, stable with { ErrorRate = 0.02 }, false, 4000, Stable: stable, ErrorProneShare: 0.05, ErrorProneRate: 0.5, OnlyMetric: "error_rate", AtTolerance: true),
        new("x-p99-edge-25", "latency_p99 only: A/A, 300 subjects, sigma 0.8, 25% canary", 300, 0.25, stable, false, 4000, Stable: stable, OnlyMetric: "latency_p99", SubjectSigma: 0.8),
        // Task canarymirror: the attack's shapes at other weights and on latency and cost (one stable caller very slow or dear,
        // answered), each with its exactly-at-the-tolerance control and an A/A beside the same caller.
        new("m-hide4-5", "error_rate only: errors 1% → 4% on a canary, one caller on stable failing every request (3% of stable's), 2,000 subjects, 5% canary", 2_000, 0.05, stable with { ErrorRate = 0.04 }, true, 8000,
            Stable: stable, OnlyMetric: "error_rate", StableCallerShare: 0.03,
            VarianceCanary: 0.04 * 0.96, VarianceStable: 0.04 * 0.96, Effect: 0.03, Tolerance: 0.01),
        new("m-hide4-25", "error_rate only: errors 1% → 4%, one caller on stable failing every request (3% of stable's), 2,000 subjects, 25% canary", 2_000, 0.25, stable with { ErrorRate = 0.04 }, true, 4000,
            Stable: stable, OnlyMetric: "error_rate", StableCallerShare: 0.03,
            VarianceCanary: 0.04 * 0.96, VarianceStable: 0.04 * 0.96, Effect: 0.03, Tolerance: 0.01),
        new("m-hide4-50", "error_rate only: errors 1% → 4%, one caller on stable failing every request (3% of stable's), 2,000 subjects, 50% canary", 2_000, 0.5, stable with { ErrorRate = 0.04 }, true, 4000,
            Stable: stable, OnlyMetric: "error_rate", StableCallerShare: 0.03,
            VarianceCanary: 0.04 * 0.96, VarianceStable: 0.04 * 0.96, Effect: 0.03, Tolerance: 0.01),
        new("m-hide5-50", "error_rate only: errors 1% → 5%, one caller on stable failing every request (3% of stable's), 2,000 subjects, 50% canary", 2_000, 0.5, stable with { ErrorRate = 0.05 }, true, 4000,
            Stable: stable, OnlyMetric: "error_rate", StableCallerShare: 0.03,
            VarianceCanary: 0.05 * 0.95, VarianceStable: 0.04 * 0.96, Effect: 0.04, Tolerance: 0.01),
        new("m-cedge-25", "error_rate only: errors 1% → 2% (exactly the tolerance), one caller on stable failing every request (3% of stable's), 2,000 subjects, 25% canary", 2_000, 0.25, stable with { ErrorRate = 0.02 }, false, 4000,
            Stable: stable, OnlyMetric: "error_rate", StableCallerShare: 0.03, AtTolerance: true),
        new("m-cedge-50", "error_rate only: errors 1% → 2% (exactly the tolerance), one caller on stable failing every request (3% of stable's), 2,000 subjects, 50% canary", 2_000, 0.5, stable with { ErrorRate = 0.02 }, false, 4000,
            Stable: stable, OnlyMetric: "error_rate", StableCallerShare: 0.03, AtTolerance: true),
        new("m-caa-50", "error_rate only: A/A at 1% errors, one caller on stable failing every request (3% of stable's), 2,000 subjects, 50% canary", 2_000, 0.5, stable, false, 4000,
            Stable: stable, OnlyMetric: "error_rate", StableCallerShare: 0.03),
        new("m-slow-hide", "latency only: ×1.5 on a canary, one caller on stable answered ×10 slower (3% of stable's), 2,000 subjects, 25% canary", 2_000, 0.25, stable with { LatencyFactor = 1.5 }, true, 4000,
            Stable: stable, OnlyMetric: "latency", StableCallerShare: 0.03, CallerLatencyFactor: 10,
            VarianceCanary: 0.41, VarianceStable: 0.41, Effect: Math.Log(1.5), Tolerance: Math.Log(1.25)),
        new("m-slow-edge", "latency only: ×1.25 (exactly the tolerance), one caller on stable answered ×10 slower (3% of stable's), 2,000 subjects, 25% canary", 2_000, 0.25, stable with { LatencyFactor = 1.25 }, false, 4000,
            Stable: stable, OnlyMetric: "latency", StableCallerShare: 0.03, CallerLatencyFactor: 10, AtTolerance: true),
        new("m-dear-hide", "cost only: ×1.3 on a canary, one caller on stable answered at ×30 the cost (3% of stable's), 2,000 subjects, 25% canary", 2_000, 0.25, stable with { CostFactor = 1.3 }, true, 4000,
            Stable: stable, OnlyMetric: "cost_per_call", StableCallerShare: 0.03, CallerCostFactor: 30,
            VarianceCanary: 0.1735, VarianceStable: 0.1735, Effect: Math.Log(1.3), Tolerance: Math.Log(1.15)),
        new("m-dear-edge", "cost only: ×1.15 (exactly the tolerance), one caller on stable answered at ×30 the cost (3% of stable's), 2,000 subjects, 25% canary", 2_000, 0.25, stable with { CostFactor = 1.15 }, false, 4000,
            Stable: stable, OnlyMetric: "cost_per_call", StableCallerShare: 0.03, CallerCostFactor: 30, AtTolerance: true),
        new("m-dear-edge-50", "cost only: ×1.15 (exactly the tolerance), 40 subjects, subject cost sigma 0.8, one caller on stable at ×30 the cost (3% of stable's), 50% canary, min_subjects 5", 40, 0.5, stable with { CostFactor = 1.15, SubjectCost = true }, false, 4000,
            Stable: stable with { SubjectCost = true }, OnlyMetric: "cost_per_call", MinSubjects: 5, SubjectSigma: 0.8, StableCallerShare: 0.03, CallerCostFactor: 30, AtTolerance: true),
        // What the attack rows would be without the stable caller: the most the judge could catch of them.
        new("m-slow-alone", "latency only: ×1.5 on a canary, no stable caller, 2,000 subjects, 25% canary", 2_000, 0.25, stable with { LatencyFactor = 1.5 }, true, 4000,
            Stable: stable, OnlyMetric: "latency",
            VarianceCanary: 0.41, VarianceStable: 0.41, Effect: Math.Log(1.5), Tolerance: Math.Log(1.25)),
        new("m-alone4-50", "error_rate only: errors 1% → 4%, no stable caller, 2,000 subjects, 50% canary", 2_000, 0.5, stable with { ErrorRate = 0.04 }, true, 4000,
            Stable: stable, OnlyMetric: "error_rate",
            VarianceCanary: 0.04 * 0.96, VarianceStable: 0.01 * 0.99, Effect: 0.03, Tolerance: 0.01),
        // The small-sample correction (2026-12-07, late): what it costs where the few-subject rows above have real harm,
        // and the same at-the-tolerance and harmful shapes with 100 subjects.
        new("x-cost-harm-50", "cost only: ×1.6, 40 subjects, subject cost factor sigma 0.8, 50% canary, min_subjects 5", 40, 0.5, stable with { CostFactor = 1.6, SubjectCost = true }, true, 4000, Stable: stable with { SubjectCost = true }, OnlyMetric: "cost_per_call", MinSubjects: 5, SubjectSigma: 0.8),
        new("x-lat-harm-50", "latency only: ×1.8, 40 subjects, sigma 0.8, 50% canary, min_subjects 5", 40, 0.5, stable with { LatencyFactor = 1.8 }, true, 4000, Stable: stable, OnlyMetric: "latency", MinSubjects: 5, SubjectSigma: 0.8),
        new("x-err-harm-50", "error_rate only: 1% → 5%, 40 subjects, 10% error-prone failing 30%, 50% canary, min_subjects 5", 40, 0.5, stable with { ErrorRate = 0.05 }, true, 4000, Stable: stable, ErrorProneShare: 0.1, ErrorProneRate: 0.3, OnlyMetric: "error_rate", MinSubjects: 5),
        new("x-cost-edge-100", "cost only: ×1.15 exactly, 100 subjects, subject cost factor sigma 0.8, 25% canary, min_subjects 5", 100, 0.25, stable with { CostFactor = 1.15, SubjectCost = true }, false, 4000, Stable: stable with { SubjectCost = true }, OnlyMetric: "cost_per_call", MinSubjects: 5, SubjectSigma: 0.8, AtTolerance: true),
        new("x-cost-edge-50-skew", "cost only: ×1.15 exactly, 40 subjects, subject cost factor sigma 1.2, 50% canary, min_subjects 5", 40, 0.5, stable with { CostFactor = 1.15, SubjectCost = true }, false, 4000, Stable: stable with { SubjectCost = true }, OnlyMetric: "cost_per_call", MinSubjects: 5, SubjectSigma: 1.2, AtTolerance: true),
        new("x-cost-harm-100", "cost only: ×1.5, 100 subjects, subject cost factor sigma 0.8, 25% canary, min_subjects 5", 100, 0.25, stable with { CostFactor = 1.5, SubjectCost = true }, true, 4000, Stable: stable with { SubjectCost = true }, OnlyMetric: "cost_per_call", MinSubjects: 5, SubjectSigma: 0.8),
    ];
}
