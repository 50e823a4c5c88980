using Glidepath.Serving.Keys;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Serving.Tests.Keys;

/// <summary>
/// A budgeted key's requests in flight count against its budget: many requests sent at once overshoot it by about one
/// request's cost, not by every one of them (a trial sent 30 at once against a budget worth two and all 30 were served).
/// </summary>
public sealed class KeySpendingTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryAdmit_PriceUnknown_OneAtATime()
    {
        var spending = new KeySpending(new FakeTimeProvider(Noon));

        Assert.True(spending.TryAdmit("k", 5));
        Assert.False(spending.TryAdmit("k", 5));
        spending.Done("k");
        Assert.True(spending.TryAdmit("k", 5));
        Assert.True(spending.TryAdmit("other", 5)); // per key
    }

    [Fact]
    public void TryAdmit_ThirtyAtOnce_OnlyWhatTheBudgetCovers()
    {
        var spending = new KeySpending(new FakeTimeProvider(Noon));
        Assert.True(spending.TryAdmit("k", 0.005));
        spending.Add("k", 0.0026, Noon);
        spending.Done("k");

        var admitted = Enumerable.Range(0, 30).Count(_ => spending.TryAdmit("k", 0.005));

        // Spent 0.0026: one more in flight may cost 0.0026 (0.0052 ≥ 0.005 for a second one).
        Assert.Equal(1, admitted);
        var worst = 0.0026 + (admitted * 0.0026);
        Assert.True(worst <= 0.005 + 0.0026, $"worst case {worst}");
    }

    [Fact]
    public void TryAdmit_FarFromTheBudget_ManyInFlight()
    {
        var spending = new KeySpending(new FakeTimeProvider(Noon));
        Assert.True(spending.TryAdmit("k", 5));
        spending.Add("k", 0.01, Noon);
        spending.Done("k");

        var admitted = Enumerable.Range(0, 1000).Count(_ => spending.TryAdmit("k", 5));

        Assert.Equal(499, admitted); // 0.01 + n × 0.01 < 5
        for (var i = 0; i < admitted; i++)
        {
            spending.Done("k");
        }

        Assert.True(spending.TryAdmit("k", 5));
    }

    [Fact]
    public void TryAdmit_SpentTheBudget_Refused_NextDayAdmitted()
    {
        var time = new FakeTimeProvider(Noon);
        var spending = new KeySpending(time);
        spending.Add("k", 5, Noon);

        Assert.False(spending.TryAdmit("k", 5));
        time.Advance(TimeSpan.FromHours(12));
        Assert.True(spending.TryAdmit("k", 5));
    }
}
