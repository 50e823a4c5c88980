using Glidepath.Serving.Keys;

namespace Glidepath.Serving.Tests.Keys;

/// <summary>
/// A key's share of the provider slots: a request is refused only when the key truly holds its share, and a refused
/// request never takes a place, not even for a moment. The concurrent tests start both threads with a barrier and assert
/// what must hold in every interleaving; nothing depends on timing.
/// </summary>
public sealed class KeyCallsInFlightTests
{
    private const int Attempts = 2_000_000;

    [Fact]
    public void TryEnter_AtTheShare_RefusedAndNothingTaken()
    {
        var calls = new KeyCallsInFlight();

        Assert.True(calls.TryEnter("k", 2));
        Assert.True(calls.TryEnter("k", 2));
        Assert.False(calls.TryEnter("k", 2));
        Assert.Equal(2, calls.Of("k"));
        calls.Exit("k");
        Assert.True(calls.TryEnter("k", 2));
        Assert.True(calls.TryEnter("other", 2)); // per key
    }

    [Fact]
    public void TryEnter_WhileAnotherRequestIsRefused_CountNeverSeenAboveTheShare()
    {
        var calls = new KeyCallsInFlight();
        calls.TryEnter("k", 1);
        var (admitted, highest) = (0, 0);

        RunBeside(stop => admitted += AskForPlaces(calls, 1, stop), () =>
        {
            highest = Math.Max(highest, calls.Of("k"));
            return highest > 1;
        });

        Assert.Equal((0, 1, 1), (admitted, highest, calls.Of("k")));
    }

    [Fact]
    public void TryEnter_WhileAnotherRequestIsRefused_NeverRefusedBelowTheShare()
    {
        // The key holds one of its two places; the other request, held to a share of one (as a key is from the poll after
        // a second key appears), is refused again and again. Each place taken beside it is below the share of two.
        var calls = new KeyCallsInFlight();
        calls.TryEnter("k", 2);
        var (admitted, refusedBelowShare) = (0, 0);

        RunBeside(stop => admitted += AskForPlaces(calls, 1, stop), () =>
        {
            if (!calls.TryEnter("k", 2))
            {
                refusedBelowShare++;
                return true;
            }

            calls.Exit("k");
            return false;
        });

        Assert.Equal((0, 0, 1), (admitted, refusedBelowShare, calls.Of("k")));
    }

    // Up to Attempts requests for a place of "k" under `share`, until `stop` is cancelled; how many were admitted.
    private static int AskForPlaces(KeyCallsInFlight calls, int share, CancellationToken stop)
    {
        var admitted = 0;
        for (var i = 0; i < Attempts && !stop.IsCancellationRequested; i++)
        {
            admitted += calls.TryEnter("k", share) ? 1 : 0;
        }

        return admitted;
    }

    // Runs `contender` on a thread of its own and `step` on this one, started together by a barrier; `step` runs at least
    // once and until the contender is done or returns true (a violation: it then stops the contender).
    private static void RunBeside(Action<CancellationToken> contender, Func<bool> step)
    {
        using var start = new Barrier(2);
        using var stop = new CancellationTokenSource();
        using var done = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            start.SignalAndWait();
            contender(stop.Token);
            done.Cancel();
        }) { IsBackground = true };
        thread.Start();
        start.SignalAndWait();
        do
        {
            if (step())
            {
                stop.Cancel();
            }
        }
        while (!done.IsCancellationRequested);

        thread.Join();
    }
}
