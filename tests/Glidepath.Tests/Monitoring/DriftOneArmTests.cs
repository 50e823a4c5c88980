using Glidepath.Manifests;
using Glidepath.Monitoring;
using Glidepath.Rollouts;
using Glidepath.Traces;

namespace Glidepath.Tests.Monitoring;

/// <summary>
/// The drift monitor says what <c>error_rate</c> did with refusals of the request and timeouts, as the canary judge's reason
/// does (Judge.OneArm.cs, one wording for both): without it, an operator could not tell why one caller's refusals raised
/// no alert (outside trial ops2).
/// </summary>
public sealed class DriftOneArmTests
{
    internal static readonly DriftMonitor Monitor = new(DriftPolicy.From(new Manifest
    {
        App = "support-agent",
        Release = new ReleaseSpec { Model = new ModelSpec { Provider = "sim", Name = "sim-support-1" }, Prompt = new PromptSpec { System = "prompts/system.md" } },
        Rollout = new RolloutPlan { Metrics = new Dictionary<string, MetricTolerance> { ["error_rate"] = new() { MaxIncrease = 0.01 } } },
    }));

    /// <summary>A window of <paramref name="count"/> subject groups, each with (requests, other errors, one-arm errors) from <paramref name="group"/>.</summary>
    internal static ArmSample Window(int count, Func<int, (int Requests, int OtherErrors, int OneArmErrors)> group)
    {
        var groups = new ArmSample[count];
        var total = default(ArmSample);
        for (var g = 0; g < count; g++)
        {
            var (n, other, oneArm) = group(g);
            var errors = other + oneArm;
            groups[g] = new ArmSample { Requests = n, Errors = errors, OneArmErrors = oneArm, LatencyCount = n - errors, LogLatencySum = (n - errors) * Math.Log(500) };
            total = ArmSample.Add(total, groups[g]);
        }

        return total with { Groups = groups };
    }

    [Fact]
    public void OneArm_OneCallersRefusalsInAFewSubjectsOfTheRecentWindow_SaysTheyWeighAsTheirSubjects()
    {
        // docs/monitoring.md: one key refused on half of its requests in 5 subjects, about 5% of all, is unclear: no alert.
        var reference = Window(SubjectGroups.Count, _ => (150, 1, 0));
        var recent = Window(SubjectGroups.Count, g => g < 5 ? (150, 1, 75) : (150, 1, 0));

        var evidence = Monitor.Evidence(recent, reference).Single(e => e.Metric == "error_rate");
        var clause = Monitor.OneArm(recent, reference);

        Assert.Equal("unclear", evidence.Verdict);
        Assert.Null(evidence.OneArmUncredited);
        Assert.Equal(
            "error_rate: refusals of the request and timeouts were 0 of the reference's requests and 0.0391 of the recent 1h window's; counted in full against the recent 1h window, weighed as the subjects they came from: one caller's errors from a few subjects are a few units of the interval, however many requests they are (docs/rollouts.md, \"Errors a caller can cause on one arm\")",
            clause);
    }

    [Fact]
    public void OneArm_OneCallersRefusalsInTheReference_SaysTheLeadIsNotCreditedAndEvidenceCarriesIt()
    {
        var reference = Window(SubjectGroups.Count, g => g < 5 ? (230, 1, 160) : (150, 1, 0));
        var recent = Window(SubjectGroups.Count, _ => (100, 1, 0));

        var evidence = Monitor.Evidence(recent, reference).Single(e => e.Metric == "error_rate");
        var clause = Monitor.OneArm(recent, reference);

        Assert.True(evidence.OneArmUncredited > 0.05, $"uncredited {evidence.OneArmUncredited}");
        Assert.StartsWith("error_rate: refusals of the request and timeouts were 0.08 of the reference's requests and 0 of the recent 1h window's; +0.0", clause, StringComparison.Ordinal);
        Assert.Contains(" of the reference's lead is beyond chance and not credited to the recent 1h window, whose own errors are judged", clause, StringComparison.Ordinal);
    }

    [Fact]
    public void OneArm_ReferencesLeadWithinChance_SaysItIsCredited()
    {
        var reference = Window(SubjectGroups.Count, g => (150, 1, g % 16 == 0 ? 2 : 0));
        var recent = Window(SubjectGroups.Count, g => (150, 1, g % 32 == 0 ? 2 : 0));

        var clause = Monitor.OneArm(recent, reference);

        Assert.Null(Monitor.Evidence(recent, reference).Single(e => e.Metric == "error_rate").OneArmUncredited);
        Assert.Contains("; the reference's lead is within chance and credited to the recent 1h window (docs/rollouts.md", clause, StringComparison.Ordinal);
    }

    [Fact]
    public void OneArm_NoRefusalsOrTimeoutsInEitherWindow_Null()
    {
        var window = Window(SubjectGroups.Count, _ => (150, 2, 0));

        Assert.Null(Monitor.OneArm(window, window));
    }
}
