using Glidepath.Environments;
using Glidepath.Rollouts;
using static Glidepath.Tests.Environments.EnvironmentTestData;

namespace Glidepath.Tests.Environments;

public sealed class JudgedHarmsTests
{
    private const string Harm = """{"rollout_id":"ro-harm","cause":"harm","evidence":[{"metric":"error_rate","verdict":"harm"}]}""";

    // A rollback event as the controller writes it: from = the canary, to = the stable it was judged against.
    private static EnvironmentEvent RolledBack(long revision, string details, string release = "id3", string stable = "id2") =>
        Event(revision, RolloutEventKinds.RolledBack, release, stable) with { Actor = RolloutController.Actor, Reason = "harm: error_rate +0.158 [+0.036, +0.282] vs max_increase 0.02", DetailsJson = details };

    private static EnvironmentEvent ShadowStop(long revision, string outcome, string release = "id3", string stable = "id2") =>
        Event(revision, EnvironmentEventKinds.ShadowStop, stable, release) with
        {
            DetailsJson = $$"""{"shadow_id":"sh-{{revision}}","outcome":"{{outcome}}","decision":"candidate is worse than stable on the same inputs: error_rate +0.149 [+0.084, +0.214] beyond max_increase 0.02 (423 pairs, 95% confidence)"}""",
        };

    [Fact]
    public void Standing_RolloutRolledBackForHarm_NamesItsIdStableTimeAndEvidence()
    {
        var harm = Assert.Single(JudgedHarms.Standing([RolledBack(5, Harm)], "id3"));

        Assert.Equal((JudgedHarm.Rollout, "ro-harm", "id2", T0.AddMinutes(5)), (harm.Kind, harm.Id, harm.AgainstReleaseId, harm.Time));
        Assert.Equal("rollout ro-harm was rolled back for harm at 2026-11-26 07:05 UTC against v2 (harm: error_rate +0.158 [+0.036, +0.282] vs max_increase 0.02)", harm.Describe(id => "v" + id[2..]));
    }

    // The judge could not decide, a person aborted, or the canary was removed from outside: none is a verdict of harm.
    [Theory]
    [InlineData("""{"rollout_id":"ro-x","cause":"inconclusive","evidence":[{"metric":"error_rate","verdict":"unclear"}]}""")]
    [InlineData("""{"rollout_id":"ro-x","cause":"deadline","evidence":[]}""")]
    public void Standing_RollbackWithoutHarm_IsNoVerdict(string details) =>
        Assert.Empty(JudgedHarms.Standing([RolledBack(5, details)], "id3"));

    [Fact]
    public void Standing_AbortByHand_IsNoVerdict() =>
        Assert.Empty(JudgedHarms.Standing([Event(5, RolloutEventKinds.Aborted, "id3", "id2") with { DetailsJson = """{"rollout_id":"ro-x","cause":"manual","evidence":[{"metric":"error_rate","verdict":"harm"}]}""" }], "id3"));

    // Stored before rollbacks recorded their cause: the evidence says it.
    [Fact]
    public void Standing_RollbackWithoutACauseButHarmInItsEvidence_IsHarm() =>
        Assert.Single(JudgedHarms.Standing([RolledBack(5, """{"rollout_id":"ro-old","evidence":[{"metric":"latency","verdict":"safe"},{"metric":"error_rate","verdict":"harm"}]}""")], "id3"));

    [Fact]
    public void Standing_RollbackWhoseDetailsCannotBeRead_CountsAsHarm() =>
        Assert.Contains("cannot be read", Assert.Single(JudgedHarms.Standing([RolledBack(5, "{not json")], "id3")).Evidence, StringComparison.Ordinal);

    [Fact]
    public void Standing_AnotherReleasesHarm_DoesNotCount() =>
        Assert.Empty(JudgedHarms.Standing([RolledBack(5, Harm, release: "id2", stable: "id1"), ShadowStop(6, "harm", release: "id2", stable: "id1")], "id3"));

    [Fact]
    public void Standing_ShadowStoppedAtHarm_NamesTheShadowAndTheStableItWasJudgedAgainst()
    {
        var harm = Assert.Single(JudgedHarms.Standing([ShadowStop(4, "pass"), ShadowStop(7, "harm"), ShadowStop(8, "collecting")], "id3"));

        Assert.Equal((JudgedHarm.Shadow, "sh-7", "id2"), (harm.Kind, harm.Id, harm.AgainstReleaseId));
        Assert.StartsWith("candidate is worse than stable on the same inputs: error_rate +0.149", harm.Evidence, StringComparison.Ordinal);
    }

    // A release does not change: shadows can be started again until one passes, so a pass does not undo the harm.
    [Fact]
    public void Standing_ShadowPassAfterAHarm_DoesNotUndoIt() =>
        Assert.Equal(["ro-harm"], JudgedHarms.Standing([RolledBack(5, Harm), ShadowStop(9, "pass")], "id3").Select(h => h.Id));

    // After the harm, a rollout of the release (started with --force) that the judge carried to promotion is newer
    // judged evidence; a promotion by hand (no evidence) is not.
    [Fact]
    public void Standing_RolloutPromotedByTheJudgeAfterTheHarm_UndoesIt_APromotionByHandDoesNot()
    {
        var byJudge = Event(8, RolloutEventKinds.Promoted, "id2", "id3") with { Actor = RolloutController.Actor, DetailsJson = """{"rollout_id":"ro-2","evidence":[{"metric":"error_rate","verdict":"safe"}]}""" };
        var byHand = byJudge with { Actor = "ana", DetailsJson = """{"rollout_id":"ro-2"}""" };

        Assert.Empty(JudgedHarms.Standing([RolledBack(5, Harm), ShadowStop(6, "harm"), byJudge], "id3"));
        Assert.Equal(["sh-6", "ro-harm"], JudgedHarms.Standing([RolledBack(5, Harm), ShadowStop(6, "harm"), byHand], "id3").Select(h => h.Id));
        Assert.Equal(["ro-harm"], JudgedHarms.Standing([byJudge, RolledBack(9, Harm)], "id3").Select(h => h.Id));
    }
}
