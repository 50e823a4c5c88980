using Glidepath.Bench.CanarySim;
using Glidepath.Rollouts;

namespace Glidepath.Tests.Rollouts;

/// <summary>
/// The netted hold's test of whether the arms' one-arm errors came from different callers beyond chance (outside trial
/// attacker3, HIGH 1), and the hold rule on seeded sticky traffic: the raw overlap held nearly every healthy rollout whose
/// errors came from many keys; the permutation test holds few and still holds the attack.
/// </summary>
public sealed class NettedCallersTests
{
    private static List<KeyValuePair<string, string?>> Errors(params (string Key, string? Subject, int Count)[] groups) =>
        [.. groups.SelectMany(g => Enumerable.Repeat(new KeyValuePair<string, string?>(g.Key, g.Subject), g.Count))];

    [Fact]
    public void PValue_EachArmsErrorsFromItsOwnKey_BeyondChance()
    {
        var p = NettedCallers.PValue(Errors(("alice", null, 150)), Errors(("attacker", null, 400)));

        Assert.True(p < RolloutController.NettedAlpha, $"p {p}");
        Assert.Equal(1.0 / (NettedCallers.Draws + 1), p, 12);
    }

    [Fact]
    public void PValue_FewErrorsSpreadOverTheSameManyKeys_NotBeyondChance()
    {
        var random = new Random(3);
        var canary = Errors([.. Enumerable.Range(0, 12).Select(_ => ($"k{random.Next(300)}", (string?)null, 1))]);
        var stable = Errors([.. Enumerable.Range(0, 240).Select(_ => ($"k{random.Next(300)}", (string?)null, 1))]);

        var p = NettedCallers.PValue(canary, stable);

        Assert.True(NettedCallers.Overlap(Count(canary), Count(stable)) < RolloutController.NettedOverlap);
        Assert.True(p > 0.05, $"p {p}");
    }

    // One key per user, and a user's requests all on one arm: the keys differ by construction, not by the arm. Moving
    // whole subjects between the arms keeps that, so it is not beyond chance; moving single errors would say it is.
    [Fact]
    public void PValue_OneKeyPerSubject_KeysDisjointByTheSplit_NotBeyondChance()
    {
        var canary = Errors([.. Enumerable.Range(0, 10).Select(i => ($"u{i}", (string?)$"s{i}", 3))]);
        var stable = Errors([.. Enumerable.Range(10, 190).Select(i => ($"u{i}", (string?)$"s{i}", 3))]);
        var perError = NettedCallers.PValue(Errors([.. Enumerable.Range(0, 10).Select(i => ($"u{i}", (string?)null, 3))]), Errors([.. Enumerable.Range(10, 190).Select(i => ($"u{i}", (string?)null, 3))]));

        var p = NettedCallers.PValue(canary, stable);

        Assert.Equal(1, p);
        Assert.True(perError < RolloutController.NettedAlpha, $"per error p {perError}");
    }

    [Fact]
    public void PValue_SameErrorsInAnotherOrder_SameAnswer()
    {
        var canary = Errors(("a", "s1", 4), ("b", "s2", 2), ("c", null, 3));
        var stable = Errors(("a", "s3", 9), ("d", "s4", 5), ("b", null, 6), ("c", "s5", 2));

        var p = NettedCallers.PValue(canary, stable);

        Assert.Equal(p, NettedCallers.PValue([.. canary.AsEnumerable().Reverse()], [.. stable.AsEnumerable().Reverse()]));
        Assert.InRange(p, 0, 1);
    }

    [Fact]
    public void PValue_AnArmWithoutErrors_One() =>
        Assert.Equal(1, NettedCallers.PValue([], Errors(("a", null, 3))));

    // The bench's netting suite at a fixed seed (canary-sim --suite netting runs 1,000 per scenario, docs/benchmarks.md):
    // healthy rollouts whose arms refuse the same callers alike, from 50 to 500 keys or one key per subject.
    [Theory]
    [InlineData("aa-50")]
    [InlineData("aa-500")]
    [InlineData("aa-user")]
    [InlineData("aa-heavy")]
    public void Hold_HealthyRolloutManyKeys_RawOverlapHeldMost_ChanceAwareRuleHoldsNone(string key)
    {
        var r = Run(key, runs: 60);

        Assert.True(r.HeldBefore >= 50, $"held before {r.HeldBefore} of 60");
        Assert.True(r.HeldAfter <= 1, $"held after {r.HeldAfter} of 60");
    }

    [Theory]
    [InlineData("atk-r")]
    [InlineData("atk-5")]
    [InlineData("atk-pin")]
    public void Hold_CanaryTimeoutsNettedAgainstAnAttackersOnStable_Held(string key)
    {
        var r = Run(key, runs: 30);

        Assert.Equal(30, r.HeldAfter);
    }

    [Fact]
    public void Hold_AttackDilutedWithRequestsBothArmsRefuse_MostlyHeldWhereTheOverlapRuleWasNot()
    {
        // Outside trial attacker4: the attacker also sent requests both arms refuse, under its own key, which lifted the
        // arms' overlap by key above one half; the rule then in force needed the overlap below it and never held.
        var r = Run("atk-dilute", runs: 30);

        Assert.True(r.HeldAfter >= 21, $"held after {r.HeldAfter} of 30");
        Assert.True(r.HeldBefore < r.HeldAfter, $"held before {r.HeldBefore}, after {r.HeldAfter}");
    }

    private static NettingResult Run(string key, int runs)
    {
        var scenarios = NettingSuite.Scenarios();
        var index = Array.FindIndex(scenarios, s => s.Key == key);
        return NettingSuite.Run(scenarios[index], runs, seed: 5, index, parallel: false);
    }

    private static Dictionary<string, int> Count(List<KeyValuePair<string, string?>> errors) =>
        errors.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Count());
}
