using Microsoft.Extensions.AI;

namespace Glidepath.Extensions.AI;

/// <summary>The inner client of <c>AddGlidepathChatClient</c>: there is none, the release's provider answers.</summary>
internal sealed class ReleaseProviderOnly : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw NoInner();

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw NoInner();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static InvalidOperationException NoInner() => new(
        "AddGlidepathChatClient has no inner client: the routed release's provider answers. To keep your own client, use new ChatClientBuilder(yourClient).UseGlidepath(c => c.Mode = GlidepathMode.InnerClient)");
}
