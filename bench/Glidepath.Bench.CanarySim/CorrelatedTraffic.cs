using Glidepath.Rollouts;
using Glidepath.Shadow;

namespace Glidepath.Bench.CanarySim;

/// <summary>
/// Seeded traffic where inputs differ and both releases feel it: a hard input scores low and answers slowly on
/// stable and candidate alike (correlation <see cref="Scenario.InputCorrelation"/>). It makes shadow pairs (both
/// releases answer the same input) and unpaired canary requests (each release answers its own inputs) from one
/// model, so the paired and the canary judge can be compared on the same traffic. Shared by the paired-judge tests
/// and the bench's shadow suite (--suite shadow).
/// </summary>
public sealed class CorrelatedTraffic
{
    private readonly Random _random;
    private readonly Scenario _scenario;
    private readonly double[] _subjectEffect;
    private readonly double[] _subjectWeight;

    public CorrelatedTraffic(int seed, Scenario scenario)
    {
        _random = new Random(seed);
        _scenario = scenario;
        _subjectEffect = new double[scenario.Subjects];
        _subjectWeight = new double[scenario.Subjects];
        double total = 0;
        for (var s = 0; s < scenario.Subjects; s++)
        {
            _subjectEffect[s] = scenario.SubjectEffectSd * Normal();
            total += _subjectWeight[s] = 1 / Math.Pow(s + 1, scenario.SubjectSkew);
        }

        for (var s = 0; s < scenario.Subjects; s++)
        {
            _subjectWeight[s] /= total;
        }
    }

    /// <summary>One input answered by both releases.</summary>
    public ShadowPair NextPair()
    {
        var input = NextInput();
        var stable = Answer(input, candidate: false);
        var candidate = Answer(input, candidate: true);
        var preference = Prefer(stable.Score, candidate.Score);
        return new ShadowPair(
            input.Subject % 64,
            stable.Error,
            candidate.Error,
            stable.Error ? null : stable.LatencyMs,
            candidate.Error ? null : candidate.LatencyMs,
            stable.Cost,
            candidate.Cost,
            stable.Score >= 0.5,
            candidate.Score >= 0.5,
            stable.Score,
            candidate.Score,
            preference);
    }

    /// <summary>One input answered by one release, added to that arm's sums (with subject groups).</summary>
    public ArmSample NextRequest(ArmSample arm, bool candidate)
    {
        var input = NextInput();
        var a = Answer(input, candidate);
        var logLatency = Math.Log(a.LatencyMs);
        var passed = a.Score >= 0.5;
        var groups = arm.Groups ?? new ArmSample[64];
        var g = input.Subject % 64;
        groups[g] = Add(groups[g], a, logLatency, passed);
        return Add(arm, a, logLatency, passed) with { Groups = groups };
    }

    private static ArmSample Add(ArmSample s, AnswerValues a, double logLatency, bool passed) => s with
    {
        Requests = s.Requests + 1,
        Errors = s.Errors + (a.Error ? 1 : 0),
        LatencyCount = s.LatencyCount + (a.Error ? 0 : 1),
        LogLatencySum = s.LogLatencySum + (a.Error ? 0 : logLatency),
        LogLatencySquares = s.LogLatencySquares + (a.Error ? 0 : logLatency * logLatency),
        CostSum = s.CostSum + (a.Error ? 0 : a.Cost),
        CostSquares = s.CostSquares + (a.Error ? 0 : a.Cost * a.Cost),
        OnlineScored = s.OnlineScored + 1,
        OnlinePassed = s.OnlinePassed + (passed ? 1 : 0),
        OnlineScoreSum = s.OnlineScoreSum + a.Score,
        OnlineScoreSquares = s.OnlineScoreSquares + (a.Score * a.Score),
    };

    private Input NextInput()
    {
        var u = _random.NextDouble();
        var subject = 0;
        for (double acc = _subjectWeight[0]; acc < u && subject < _subjectWeight.Length - 1; acc += _subjectWeight[++subject])
        {
        }

        return new Input(subject, Normal(), Normal(), Normal());
    }

    private AnswerValues Answer(Input input, bool candidate)
    {
        var r = _scenario.InputCorrelation;
        var own = Math.Sqrt(1 - (r * r));
        var quality = 0.7 + (0.2 * ((r * input.Difficulty) + (own * Normal())));
        if (candidate)
        {
            quality += _scenario.ScoreShift + _subjectEffect[input.Subject];
        }

        var logLatency = Math.Log(800) + (0.5 * ((r * input.Slowness) + (own * Normal())));
        var logCost = Math.Log(0.004) + (0.4 * ((r * input.Length) + (own * Normal())));
        if (candidate)
        {
            logLatency += Math.Log(_scenario.LatencyRatio);
            logCost += Math.Log(_scenario.CostRatio);
        }

        var error = _random.NextDouble() < (candidate ? _scenario.CandidateErrorRate : _scenario.StableErrorRate);
        return new AnswerValues(error, Math.Exp(logLatency), Math.Exp(logCost), Math.Clamp(quality, 0, 1));
    }

    /// <summary>A pairwise judge asked in both orders; in each it names the first answer with probability <see cref="Scenario.PositionBias"/> whatever it reads.</summary>
    private double Prefer(double stableScore, double candidateScore)
    {
        var d = candidateScore - stableScore;
        var truth = d > 0.1 ? PairwisePreference.Verdict.CandidateBetter : d < -0.1 ? PairwisePreference.Verdict.CandidateWorse : PairwisePreference.Verdict.Tie;

        // Candidate shown first, then stable shown first: a biased look names whichever answer came first.
        var first = _random.NextDouble() < _scenario.PositionBias ? PairwisePreference.Verdict.CandidateBetter : truth;
        var second = _random.NextDouble() < _scenario.PositionBias ? PairwisePreference.Verdict.CandidateWorse : truth;
        return PairwisePreference.Combine(first, second);
    }

    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    /// <summary>The traffic and the difference between the releases.</summary>
    /// <param name="SubjectSkew">Zipf exponent of subjects' traffic (0: uniform).</param>
    /// <param name="SubjectEffectSd">Per-subject shift of the candidate's quality with mean zero: some users gain, some lose.</param>
    /// <param name="PositionBias">How often the pairwise judge names the first answer shown, whatever it reads.</param>
    public sealed record Scenario(
        int Subjects = 400,
        double SubjectSkew = 0,
        double InputCorrelation = 0.9,
        double ScoreShift = 0,
        double SubjectEffectSd = 0,
        double LatencyRatio = 1,
        double CostRatio = 1,
        double StableErrorRate = 0.01,
        double CandidateErrorRate = 0.01,
        double PositionBias = 0.3);

    private readonly record struct Input(int Subject, double Difficulty, double Slowness, double Length);

    private readonly record struct AnswerValues(bool Error, double LatencyMs, double Cost, double Score);
}
