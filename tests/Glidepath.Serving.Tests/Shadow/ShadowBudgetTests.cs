using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Routing;
using Glidepath.Serving.Shadow;
using Glidepath.Shadow;

namespace Glidepath.Serving.Tests.Shadow;

public sealed class ShadowBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static ShadowBudget Budget(double? maxCost, long? maxRequests)
    {
        var snapshot = new ReleaseSnapshot { Model = new ModelSpec { Provider = "sim", Name = "m" }, SystemPrompt = "", SystemPromptPath = "s.md", ToolFiles = [], Tools = [], Files = new Dictionary<string, byte[]>() };
        return new ShadowBudget(new ShadowRoute("sh-1", new RoutedRelease("0123456789abcdef", 2, snapshot), 1, maxCost, maxRequests));
    }

    [Fact]
    public void TryReserve_BeforeTheStoreWasRead_RefusedAndNotExhausted()
    {
        var budget = Budget(null, null);

        Assert.False(budget.TryReserve());
        Assert.False(budget.Exhausted);
    }

    [Fact]
    public void TryReserve_MaxRequests_CountsCallsInFlightSoNeverExceeded()
    {
        var budget = Budget(null, 5);
        budget.Refresh(new ShadowSpend(2, 0), (0, 0), T0);

        var reserved = Enumerable.Range(0, 10).Count(_ => budget.TryReserve());

        Assert.Equal(3, reserved);
        Assert.True(budget.Exhausted);
    }

    [Fact]
    public void Stored_SpendReachesTheCostCap_NoFurtherReservation()
    {
        var budget = Budget(0.05, null);
        budget.Refresh(new ShadowSpend(0, 0.03), (0, 0), T0);

        Assert.True(budget.TryReserve());
        budget.Answered(0.01);
        budget.Stored(0.01);
        Assert.True(budget.TryReserve());
        budget.Answered(0.01);
        budget.Stored(0.01);

        Assert.True(budget.Exhausted);
        Assert.False(budget.TryReserve());
    }

    [Fact]
    public void Answered_CostCountsBeforeThePairIsStored_AndIsGivenBackWhenItIsNot()
    {
        // Pairs are written in batches: an answered call's cost is spent as soon as it is known.
        var budget = Budget(0.05, null);
        budget.Refresh(new ShadowSpend(0, 0.03), (0, 0), T0);
        Assert.True(budget.TryReserve());

        budget.Answered(0.02);

        Assert.True(budget.Exhausted);
        Assert.False(budget.TryReserve());

        budget.Release(0.02); // the pair could not be stored: nothing was spent as far as the caps go

        Assert.False(budget.Exhausted);
        Assert.True(budget.TryReserve());
    }

    [Fact]
    public void Release_WithoutAPair_FreesTheSlotAndSpendsNothing()
    {
        var budget = Budget(null, 1);
        budget.Refresh(new ShadowSpend(0, 0), (0, 0), T0);
        Assert.True(budget.TryReserve());

        budget.Release(null);

        Assert.True(budget.TryReserve());
    }

    [Fact]
    public void Refresh_OtherGatewaysSpent_AdoptsTheStoresFiguresWithoutCountingOwnPairsTwice()
    {
        var budget = Budget(null, 10);
        budget.Refresh(new ShadowSpend(0, 0), (0, 0), T0);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(budget.TryReserve());
            budget.Answered(0);
            budget.Stored(0);
        }

        // The store now holds this gateway's 4 pairs and another gateway's 5.
        var before = budget.Local();
        budget.Refresh(new ShadowSpend(9, 0), before, T0.AddSeconds(5));

        Assert.True(budget.TryReserve());
        Assert.False(budget.TryReserve());
    }
}
