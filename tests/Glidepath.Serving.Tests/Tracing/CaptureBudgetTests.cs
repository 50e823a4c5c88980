using Glidepath.Serving.Tracing;

namespace Glidepath.Serving.Tests.Tracing;

/// <summary>
/// The capture budget refuses a charge only when the bytes truly held would pass the limit, and a refused charge never
/// shows in the total, not even for a moment. The concurrent test starts both threads with a barrier and asserts what must
/// hold in every interleaving; nothing depends on timing.
/// </summary>
public sealed class CaptureBudgetTests
{
    private const int Attempts = 2_000_000;

    [Fact]
    public void TryCharge_AtTheLimit_RefusedAndNothingCharged()
    {
        var budget = new CaptureBudget(100);

        Assert.True(budget.TryCharge(60));
        Assert.True(budget.TryCharge(40));
        Assert.False(budget.TryCharge(1));
        Assert.Equal(100, budget.HeldBytes);
        budget.Release(40);
        Assert.True(budget.TryCharge(0)); // nothing to hold: always taken
        Assert.True(budget.TryCharge(40));
        Assert.Equal(100, budget.HeldBytes);
    }

    [Fact]
    public void TryChargeBeside_PastHalfTheLimit_RefusedWhileTheTraceQueueKeepsItsHalf()
    {
        var budget = new CaptureBudget(100);

        Assert.True(budget.TryChargeBeside(30));
        Assert.True(budget.TryChargeBeside(20));
        Assert.False(budget.TryChargeBeside(1)); // scoring and the shadow hold half
        Assert.True(budget.TryCharge(50)); // the trace queue's half is still there
        Assert.False(budget.TryCharge(1));
        budget.ReleaseBeside(20);
        Assert.Equal(80, budget.HeldBytes);
        Assert.True(budget.TryChargeBeside(20));
        Assert.Equal(100, budget.HeldBytes);
    }

    [Fact]
    public void TryCharge_WhileAnotherChargeIsRefused_NeverRefusedBelowTheLimit()
    {
        // 60 of 100 bytes are held; another holder asks for 50 again and again (always over the limit). A charge of 40
        // beside it always fits: with add-then-subtract the refused 50 showed in the total for a moment and refused it.
        var budget = new CaptureBudget(100);
        budget.TryCharge(60);
        var (admitted, refusedBelowLimit, highest) = (0, 0, 0L);
        using var start = new Barrier(2);
        using var done = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < Attempts && refusedBelowLimit == 0; i++)
            {
                admitted += budget.TryCharge(50) ? 1 : 0;
            }

            done.Cancel();
        }) { IsBackground = true };
        thread.Start();
        start.SignalAndWait();
        do
        {
            highest = Math.Max(highest, budget.HeldBytes);
            if (budget.TryCharge(40))
            {
                budget.Release(40);
            }
            else
            {
                refusedBelowLimit++;
            }
        }
        while (!done.IsCancellationRequested && refusedBelowLimit == 0);

        thread.Join();
        Assert.Equal((0, 0, 60L), (admitted, refusedBelowLimit, budget.HeldBytes));
        Assert.True(highest <= 100, $"the total was seen at {highest} bytes, over the 100-byte limit");
    }
}
