using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Tests.Shadow;

/// <summary>
/// A review: on the app's own client the candidate is priced at the caller's model; without a price for it every call
/// cost $0 and a shadow's --max-cost-usd never bound. With a cost cap and no price, nothing is mirrored (capped).
/// </summary>
public sealed class ShadowOwnClientCapTests
{
    [Fact]
    public async Task OwnClient_ModelWithoutAPrice_ShadowWithACostCap_NotMirrored_CountedCapped()
    {
        await using var f = await Support.ServingFixture.StartAsync();
        var own = new Answering();
        var mirror = await ShadowSetup.StartShadowAsync(f, "sh-unpriced", maxCostUsd: 1);

        await ShadowSetup.CallAsync(f, 2, own, model: "my-unpriced-deployment");

        await ShadowSetup.WaitAsync(() => Task.FromResult(mirror.Capped == 2), "both sampled calls to be counted capped");
        Assert.Equal(2, own.Calls); // the callers' own calls only: the candidate was never called
        Assert.Equal((0L, 0L), (mirror.Mirrored, mirror.Failed));
    }

    /// <summary>The app's own client: answers every call.</summary>
    private sealed class Answering : IChatClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Within 30 days.")) { FinishReason = ChatFinishReason.Stop });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
