using Glidepath.Environments;
using Glidepath.Evals;
using Glidepath.Evals.Gate;
using static Glidepath.Tests.Environments.EnvironmentTestData;

namespace Glidepath.Tests.Environments;

public sealed class PromotionPolicyTests
{
    private static readonly EnvironmentState Empty = new() { App = "app", Name = "production" };
    private static readonly EnvironmentState OnV2 = Empty with { Revision = 3, StableReleaseId = "id2" };

    private static string Name(string id) => "v" + id[2..];

    private static Dictionary<string, IReadOnlyList<EnvironmentEvent>> Staging(params string[] stables) => new()
    {
        ["staging"] = stables.Select((id, i) => Event(i + 1, "deploy", null, id)).ToList(),
    };

    private static readonly VerdictRule Committed = new(MaxCaseRegressions: 0, MaxMeanDrop: 0, Confidence: 0.95, Trials: 3, Seed: 20240611, Resamples: 2000);

    private static readonly GateBasis Today = new("evals/cases.jsonl", "d", "s", Committed);

    /// <param name="rule">The rule it was computed under: today's unless told.</param>
    /// <param name="ruleRecorded">False for a verdict stored before verdicts recorded their rule (no rule at all).</param>
    private static GateVerdictRecord Record(string result, string candidate = "id3", string baseline = "id2", string dataset = "d", string scorers = "s", string id = "g1", int minutes = 0, VerdictRule? rule = null, bool ruleRecorded = true, string details = "{}") =>
        new(id, "app", candidate, baseline, dataset, result, scorers, T0.AddMinutes(minutes), details)
        {
            GateRule = ruleRecorded ? (rule ?? Committed).Json : null,
            GateRuleSha256 = ruleRecorded ? (rule ?? Committed).Sha256 : null,
        };

    /// <summary>The evidence promote reads for v3 against production's stable v2 (id2), from these verdicts, newest first.</summary>
    private static GateEvidence Gate(params GateVerdictRecord[] newestFirst) => CountingVerdict.Find(newestFirst, "id3", "id2", Today);

    private static GateEvidence Verdict(string result, string candidate = "id3", string baseline = "id2") => Gate(Record(result, candidate, baseline));

    // Outside trial gate #1 and #4: a pass that warned (it could not have blocked; cases were dropped) still counts, and says so.
    [Fact]
    public void Assess_PassThatWarned_AllowedWithTheWarningInTheGateNote()
    {
        const string Details = """{"cannot_block":{"message":"m","cases_lower":5,"examples":["c000"]},"dataset_change":{"message":"m","removed":8,"changed":1,"added":0,"examples":[]},"always_failing":{"message":"m","cases":3,"examples":["x"]}}""";

        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Gate(Record("pass", details: Details)), Manifest(EnvironmentTestData.Staging, Production), Name, []);

        Assert.True(a.Allowed);
        Assert.EndsWith(
            " (warning: it could not have blocked the 5 case(s) that scored lower: too few trials; 8 case(s) removed and 1 changed against the baseline's commit were not gated; 3 case(s) failed on every trial on both sides and cannot show a regression: check their expectations)",
            a.GateNote, StringComparison.Ordinal);
    }

    // Outside trial ciflow #2: a pass whose gate ran other scorers (or another rule) than the baseline's commit says so where it counts.
    [Fact]
    public void Assess_PassWhoseGateChangedTheRuleAndTheScorers_GateNoteRepeatsWhoChangedThem()
    {
        const string Details = """{"rule_change":{"message":"m","changed_by":"base_branch","baseline_rule":{}},"scorer_change":{"message":"m","changed_by":"this_change","baseline_scorer_version":null,"changes":[]},"cannot_block":null,"dataset_change":null}""";

        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Gate(Record("pass", details: Details)), Manifest(EnvironmentTestData.Staging, Production), Name, []);

        Assert.True(a.Allowed);
        Assert.EndsWith(
            " (warning: the gate rule differed from the baseline commit's, changed on the base branch after this change forked (gated under this change's own); " +
            "eval.scorers differed from the baseline commit's, changed by this change)",
            a.GateNote, StringComparison.Ordinal);
    }

    private static JudgedHarm RolledBackForHarm(string against) =>
        new(JudgedHarm.Rollout, "ro-1a2b", against, T0.AddMinutes(30), "harm: error_rate +0.158 [+0.036, +0.282] vs max_increase 0.02");

    // An outside trial: promote accepted v3 minutes after the canary judge rolled it back for harm against the same stable.
    [Fact]
    public void Assess_HarmAgainstTheCurrentStable_RefusedBesideAPassingGate_NamingTheRolloutWhenAndEvidence()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Verdict("pass"), Manifest(EnvironmentTestData.Staging, Production), Name, [RolledBackForHarm("id2")]);

        Assert.False(a.Allowed);
        var missing = Assert.Single(a.Missing);
        Assert.Equal("harm", missing.Kind);
        Assert.Equal(
            "the judge found harm in v3 on production: rollout ro-1a2b was rolled back for harm at 2026-11-26 07:30 UTC against v2 (harm: error_rate +0.158 [+0.036, +0.282] vs max_increase 0.02); " +
            "a release does not change, so fix it and register the fix as a new release; run: glidepath history --env production",
            missing.ToString());
        Assert.Equal("ro-1a2b", a.Harm!.Id);
        Assert.Null(a.HarmNote);
    }

    // The comparison no longer holds once another release is stable: said, not refused.
    [Fact]
    public void Assess_HarmAgainstAnEarlierStable_AllowedWithANote()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Verdict("pass"), Manifest(EnvironmentTestData.Staging, Production), Name, [RolledBackForHarm("id1")]);

        Assert.True(a.Allowed);
        Assert.Null(a.Harm);
        Assert.Equal(
            "note: v3 has an earlier verdict of harm on production: rollout ro-1a2b was rolled back for harm at 2026-11-26 07:30 UTC against v1 (harm: error_rate +0.158 [+0.036, +0.282] vs max_increase 0.02); " +
            "production's stable is v2 now, so that comparison no longer holds and does not refuse this",
            a.HarmNote);
        Assert.EndsWith(a.HarmNote, a.Notes, StringComparison.Ordinal);
        Assert.StartsWith(a.GateNote!, a.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_PassWithoutWarnings_GateNoteHasNone()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Gate(Record("pass", details: """{"cannot_block":null,"dataset_change":null}""")), Manifest(EnvironmentTestData.Staging, Production), Name, []);

        Assert.True(a.Allowed);
        Assert.DoesNotContain("warning", a.GateNote, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_ReleaseNeverStableInRequiredEnvironment_NamesItAndTheDeployCommand()
    {
        var a = PromotionPolicy.Assess(Production, Empty, "id3", Staging("id1"), null, Manifest(EnvironmentTestData.Staging, Production), Name, []);
        var missing = Assert.Single(a.Missing);
        Assert.Equal("requires", missing.Kind);
        Assert.Contains("staging", missing.Missing, StringComparison.Ordinal);
        Assert.Equal("glidepath deploy v3 --env staging", missing.Command);
        Assert.False(a.Allowed);
    }

    [Fact]
    public void Assess_FirstReleaseStableInStaging_IsAllowedWithoutGate()
    {
        var a = PromotionPolicy.Assess(Production, Empty, "id3", Staging("id3"), null, Manifest(EnvironmentTestData.Staging, Production), Name, []);
        Assert.True(a.Allowed);
        Assert.True(a.FirstRelease);
        Assert.Equal(["staging"], a.RequiresMet);
    }

    [Fact]
    public void Assess_NoVerdictAgainstCurrentStable_NamesTheGateCommand()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), null, Manifest(EnvironmentTestData.Staging, Production), Name, []);
        var missing = Assert.Single(a.Missing);
        Assert.Equal("gate", missing.Kind);
        Assert.Equal("no passing gate verdict for v3 against production's stable v2", missing.Missing);
        Assert.Equal("glidepath gate v3 --baseline env:production", missing.Command);
    }

    [Fact]
    public void Assess_LatestVerdictBlocked_IsRefusedSayingSo()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Verdict("blocked"), Manifest(EnvironmentTestData.Staging, Production), Name, []);
        Assert.Contains("'blocked'", Assert.Single(a.Missing).Missing, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_VerdictAgainstAnotherBaseline_DoesNotCount()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Verdict("pass", baseline: "id1"), Manifest(EnvironmentTestData.Staging, Production), Name, []);
        var missing = Assert.Single(a.Missing);
        Assert.Equal("gate", missing.Kind);
        Assert.Equal("no passing gate verdict for v3 against production's stable v2", missing.Missing);
    }

    [Fact]
    public void Assess_StagingAndPassingVerdict_IsAllowedWithTheVerdictAsEvidence()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id1", "id3"), Verdict("pass"), Manifest(EnvironmentTestData.Staging, Production), Name, []);
        Assert.True(a.Allowed);
        Assert.Equal("g1", a.GateVerdictId);
        Assert.Equal("id2", a.BaselineReleaseId);
        Assert.False(a.FirstRelease);
    }

    [Fact]
    public void Assess_RequiredEnvironmentHasItsOwnPath_SuggestsPromote()
    {
        var qa = new global::Glidepath.Manifests.EnvironmentSpec { Name = "qa" };
        var staging = new global::Glidepath.Manifests.EnvironmentSpec { Name = "staging", Requires = ["qa"], Owner = "x" };
        var a = PromotionPolicy.Assess(Production, Empty, "id3", new Dictionary<string, IReadOnlyList<EnvironmentEvent>>(), null, Manifest(qa, staging, Production), Name, []);
        Assert.Equal("glidepath promote v3 --env staging", Assert.Single(a.Missing).Command);
    }

    // Trial A §1: drop the blocking scorer, gate (pass), restore it: the pass was computed with other scorers and must not count.
    [Fact]
    public void Assess_PassWithOtherScorersNewerThanBlockWithToday_RefusedNamingOtherScorers()
    {
        var gate = Gate(Record("pass", scorers: "weaker", id: "g3", minutes: 2), Record("blocked", id: "g2", minutes: 1));
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), gate, Manifest(EnvironmentTestData.Staging, Production), Name, []);
        var missing = Assert.Single(a.Missing);
        Assert.Contains("'blocked'", missing.Missing, StringComparison.Ordinal);
        Assert.Null(a.GateVerdictId);
    }

    [Fact]
    public void Assess_OnlyPassWithOtherScorers_RefusedSayingOtherScorersAndTheGateCommand()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Gate(Record("pass", scorers: "weaker")), Manifest(EnvironmentTestData.Staging, Production), Name, []);
        var missing = Assert.Single(a.Missing);
        Assert.StartsWith("verdicts for v3 against production's stable v2 exist, but for other scorers:", missing.Missing, StringComparison.Ordinal);
        Assert.Equal("glidepath gate v3 --baseline env:production", missing.Command);
        Assert.False(a.Allowed);
    }

    // Trial A §2: a pass on the dataset before a case was added (evalset add --from-trace) does not count.
    [Fact]
    public void Assess_OnlyPassOnAnotherDataset_RefusedSayingAnotherDataset()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Gate(Record("pass", dataset: "old")), Manifest(EnvironmentTestData.Staging, Production), Name, []);
        Assert.StartsWith("verdicts for v3 against production's stable v2 exist, but for another dataset: evals/cases.jsonl changed since", Assert.Single(a.Missing).Missing, StringComparison.Ordinal);
    }

    // Review: the basis is the files of the process that asks. A gateway image or an old checkout still holding the
    // dataset before a case was added must not bring back the pass that a newer gate, on the new dataset, blocked.
    [Theory]
    [InlineData("blocked")]
    [InlineData("error")]
    public void Assess_PassOnThisProcessesFiles_NewerNonPassOnOtherInputs_Refused(string newer)
    {
        var gate = Gate(Record(newer, dataset: "newer-dataset", id: "g2", minutes: 5), Record("pass", id: "g1", minutes: 1));
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), gate, Manifest(EnvironmentTestData.Staging, Production), Name, []);
        Assert.False(a.Allowed);
        Assert.Null(a.GateVerdictId);
        Assert.StartsWith($"a newer gate of v3 against production's stable v2 (", Assert.Single(a.Missing).Missing, StringComparison.Ordinal);
        Assert.Contains($"is '{newer}', on other inputs than the evals/cases.jsonl", a.Missing[0].Missing, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_PassOnThisProcessesFiles_NewerPassOnOtherInputs_StillCounts()
    {
        var gate = Gate(Record("pass", dataset: "newer-dataset", id: "g2", minutes: 5), Record("pass", id: "g1", minutes: 1));
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), gate, Manifest(EnvironmentTestData.Staging, Production), Name, []);
        Assert.True(a.Allowed);
        Assert.Equal("g1", a.GateVerdictId);
    }

    [Fact]
    public void Assess_NoCurrentBasis_RefusedSayingWhy()
    {
        var gate = new GateEvidence { CandidateReleaseId = "id3", BaselineReleaseId = "id2", Unavailable = "glidepath.yaml has no eval: section" };
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), gate, Manifest(EnvironmentTestData.Staging, Production), Name, []);
        Assert.Equal("no gate verdict for v3 against production's stable v2 can count: glidepath.yaml has no eval: section", Assert.Single(a.Missing).Missing);
    }

    // Trial A §7: newest counts, but a pass after blocks of the same pair on the same basis says how many.
    [Fact]
    public void Assess_PassAfterTwoBlocksOnTheSameBasis_AllowedAndTheNoteCountsTheBlocks()
    {
        var gate = Gate(
            Record("pass", id: "g4", minutes: 4),
            Record("blocked", id: "g3", minutes: 3),
            Record("blocked", dataset: "old", id: "g2", minutes: 2),
            Record("error", id: "g1b", minutes: 1),
            Record("blocked", id: "g1", minutes: 0));
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), gate, Manifest(EnvironmentTestData.Staging, Production), Name, []);
        Assert.True(a.Allowed);
        Assert.Equal("g4", a.GateVerdictId);
        Assert.Equal(2, a.Gate!.EarlierBlocked);
        Assert.EndsWith("(2 earlier runs of this pair blocked)", a.GateNote, StringComparison.Ordinal);
        Assert.StartsWith("gate: v3 passed against production's stable v2 on evals/cases.jsonl", a.GateNote, StringComparison.Ordinal);
    }

    // Trial ci D1: a pass computed under a loosened rule (an uncommitted max_case_regressions: 100) must not count once
    // the rule is put back, and the refusal names what differed.
    [Fact]
    public void Assess_OnlyPassUnderALoosenedRule_RefusedNamingTheRuleDifference()
    {
        var loosened = Committed with { MaxCaseRegressions = 100, MaxMeanDrop = 1 };

        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Gate(Record("pass", rule: loosened)), Manifest(EnvironmentTestData.Staging, Production), Name, []);

        Assert.False(a.Allowed);
        Assert.Null(a.GateVerdictId);
        var missing = Assert.Single(a.Missing);
        Assert.Equal(
            "v3's passing verdict against production's stable v2 was computed under another gate rule (max_case_regressions 100, now 0; max_mean_drop 1, now 0)",
            missing.Missing);
        Assert.Equal("glidepath gate v3 --baseline env:production", missing.Command);
    }

    // The D1 repro itself: six blocks under the committed rule, then one pass under the loosened one. The blocks count.
    [Fact]
    public void Assess_PassUnderALoosenedRuleAfterBlocksUnderToday_RefusedAsBlocked()
    {
        var loosened = Committed with { MaxCaseRegressions = 100 };
        var gate = Gate(Record("pass", rule: loosened, id: "g7", minutes: 7), Record("blocked", id: "g6", minutes: 6), Record("blocked", id: "g5", minutes: 5));

        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), gate, Manifest(EnvironmentTestData.Staging, Production), Name, []);

        Assert.False(a.Allowed);
        Assert.Contains("is 'blocked'", Assert.Single(a.Missing).Missing, StringComparison.Ordinal);
        Assert.Equal(1, a.Gate!.OtherRules);
    }

    [Theory]
    [InlineData(nameof(VerdictRule.Confidence))]
    [InlineData(nameof(VerdictRule.Trials))]
    public void Assess_PassUnderAnotherConfidenceOrFewerTrials_DoesNotCount(string field)
    {
        var other = field == nameof(VerdictRule.Confidence) ? Committed with { Confidence = 0.5 } : Committed with { Trials = 1 };

        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Gate(Record("pass", rule: other)), Manifest(EnvironmentTestData.Staging, Production), Name, []);

        Assert.False(a.Allowed);
        Assert.Contains(field == nameof(VerdictRule.Confidence) ? "(confidence 0.5, now 0.95)" : "(eval.trials 1, now 3)", Assert.Single(a.Missing).Missing, StringComparison.Ordinal);
    }

    // After the upgrade (migration 0025) a verdict without a recorded rule counts for nothing: fail closed.
    [Fact]
    public void Assess_PassStoredBeforeRulesWereRecorded_RefusedAskingForANewGate()
    {
        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Gate(Record("pass", ruleRecorded: false)), Manifest(EnvironmentTestData.Staging, Production), Name, []);

        Assert.False(a.Allowed);
        Assert.Equal(
            "v3's passing verdict against production's stable v2 was stored before verdicts recorded their gate rule, so it counts for nothing",
            Assert.Single(a.Missing).Missing);
    }

    // A store's value is not trusted: a rule text that reads as today's but does not hash to today's rule does not count.
    [Fact]
    public void Assess_PassWhoseRecordedHashIsNotTodays_DoesNotCountEvenIfItsTextIsTodays()
    {
        var forged = Record("pass") with { GateRuleSha256 = new string('0', 64) };

        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), Gate(forged), Manifest(EnvironmentTestData.Staging, Production), Name, []);

        Assert.False(a.Allowed);
        Assert.Contains("another gate rule (rule sha256 000000000000, now ", Assert.Single(a.Missing).Missing, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_PassUnderTodaysRuleAfterAPassUnderALoosenedOne_Counts()
    {
        var gate = Gate(Record("pass", id: "g2", minutes: 2), Record("pass", rule: Committed with { MaxCaseRegressions = 100 }, id: "g1", minutes: 1));

        var a = PromotionPolicy.Assess(Production, OnV2, "id3", Staging("id3"), gate, Manifest(EnvironmentTestData.Staging, Production), Name, []);

        Assert.True(a.Allowed);
        Assert.Equal("g2", a.GateVerdictId);
    }
}
