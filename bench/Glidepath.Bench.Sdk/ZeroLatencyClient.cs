using Microsoft.Extensions.AI;

namespace Glidepath.Bench.Sdk;

/// <summary>A model that answers at once with the same response (and usage): what is left to measure is the middleware.</summary>
internal sealed class ZeroLatencyClient : IChatClient, Glidepath.Models.IModelClientFactory
{
    private readonly ChatResponse _response = new(new ChatMessage(ChatRole.Assistant, "Items can be returned within 30 days."))
    {
        FinishReason = ChatFinishReason.Stop,
        Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 8 },
    };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(_response);

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public IChatClient Create(Glidepath.Manifests.ModelSpec model, Glidepath.Manifests.ProviderSettings settings, Glidepath.Models.ModelClientOptions options) => this;

    public void Dispose()
    {
    }
}
