using Glidepath.Environments;
using static Glidepath.Tests.Environments.EnvironmentTestData;

namespace Glidepath.Tests.Environments;

public sealed class StableHistoryTests
{
    [Fact]
    public void KnownGood_AfterThreePromotions_IsEarlierStablesNewestFirst()
    {
        EnvironmentEvent[] history = [Event(1, "promote", null, "v1"), Event(2, "promote", "v1", "v2"), Event(3, "promote", "v2", "v3")];
        Assert.Equal(["v2", "v1"], StableHistory.KnownGood(history, "v3"));
    }

    [Fact]
    public void KnownGood_AfterRollback_SkipsTheReleaseRolledBackFrom()
    {
        EnvironmentEvent[] history =
        [
            Event(1, "promote", null, "v1"), Event(2, "promote", "v1", "v2"), Event(3, "promote", "v2", "v3"),
            Event(4, "rollback", "v3", "v2"),
        ];
        Assert.Equal(["v1"], StableHistory.KnownGood(history, "v2"));
    }

    [Fact]
    public void KnownGood_FreezeAndCanaryEvents_AreIgnored()
    {
        EnvironmentEvent[] history =
        [
            Event(1, "deploy", null, "v1"), Event(2, "freeze", null, null), Event(3, "canary_set", null, "v9"),
            Event(4, "unfreeze", null, null), Event(5, "deploy", "v1", "v2"),
        ];
        Assert.Equal(["v1"], StableHistory.KnownGood(history, "v2"));
    }

    [Fact]
    public void RolledBackFrom_ReleasePromotedAgainAfterRollback_IsTrustedAgain()
    {
        EnvironmentEvent[] history =
        [
            Event(1, "promote", null, "v1"), Event(2, "promote", "v1", "v2"), Event(3, "rollback", "v2", "v1"),
            Event(4, "promote", "v1", "v2"), Event(5, "promote", "v2", "v3"),
        ];
        Assert.Empty(StableHistory.RolledBackFrom(history));
        Assert.Equal(["v2", "v1"], StableHistory.KnownGood(history, "v3"));
    }

    [Fact]
    public void KnownGood_AfterRollbackToSkippingARelease_NeverMovesForwardToTheSkippedOne()
    {
        // rollback --to v1 from v3 skips v2: a plain rollback after it has nowhere earlier to go, not "back" to v2.
        EnvironmentEvent[] history =
        [
            Event(1, "promote", null, "v1"), Event(2, "promote", "v1", "v2"), Event(3, "promote", "v2", "v3"),
            Event(4, "rollback", "v3", "v1"),
        ];
        Assert.Empty(StableHistory.KnownGood(history, "v1"));
        Assert.Equal(["v2", "v3"], StableHistory.RolledBackFrom(history).Order(StringComparer.Ordinal));

        // Promoted again, the skipped release is trusted again.
        EnvironmentEvent[] later = [.. history, Event(5, "promote", "v1", "v2"), Event(6, "promote", "v2", "v4")];
        Assert.Equal(["v2", "v1"], StableHistory.KnownGood(later, "v4"));
    }

    [Fact]
    public void KnownGood_CanaryClearedByRollback_KeepsEveryEarlierStable()
    {
        // Clearing a canary is recorded as rollback canary -> stable: the stable is the latest stint, nothing is skipped.
        EnvironmentEvent[] history =
        [
            Event(1, "promote", null, "v1"), Event(2, "promote", "v1", "v2"), Event(3, "canary_set", null, "v3"),
            Event(4, "rollback", "v3", "v2"),
        ];
        Assert.Equal(["v1"], StableHistory.KnownGood(history, "v2"));
        Assert.Equal(["v3"], StableHistory.RolledBackFrom(history));
    }

    [Fact]
    public void HasBeenStable_OnlyCountsEventsThatMoveTheStablePointer()
    {
        EnvironmentEvent[] history = [Event(1, "deploy", null, "v1"), Event(2, "canary_set", null, "v2")];
        Assert.True(StableHistory.HasBeenStable(history, "v1"));
        Assert.False(StableHistory.HasBeenStable(history, "v2"));
    }

    // Trial newcomer4 M3 and its review: the rollback that took a release off the stable, not one that cleared its canary
    // (From = the canary, the stable unchanged), and none once it was the stable again (a shadow start naming it is not).
    [Fact]
    public void RolledBackAndNotStableSince_StableRollbackCounts_CanaryRollbackAndRepromoteDoNot()
    {
        EnvironmentEvent[] rolledBack = [Event(1, "promote", null, "v1"), Event(2, "rollout_promoted", "v1", "v2"), Event(3, "rollback", "v2", "v1"), Event(4, "shadow_start", null, "v2")];
        EnvironmentEvent[] canaryOnly = [Event(1, "promote", null, "v1"), Event(2, "rollback", "v2", "v1")];
        EnvironmentEvent[] again = [.. rolledBack, Event(5, "promote", "v1", "v2")];

        Assert.Equal(3, StableHistory.RolledBackAndNotStableSince(rolledBack, "v2")?.Revision);
        Assert.Null(StableHistory.RolledBackAndNotStableSince(canaryOnly, "v2"));
        Assert.Null(StableHistory.RolledBackAndNotStableSince(again, "v2"));
        Assert.Null(StableHistory.RolledBackAndNotStableSince(rolledBack, "v1"));
    }
}
