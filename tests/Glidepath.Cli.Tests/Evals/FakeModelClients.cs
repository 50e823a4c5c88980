using Glidepath.Manifests;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>A model client factory whose clients answer with a function of (model, messages).</summary>
internal sealed class FakeModelClients(Func<ModelSpec, IReadOnlyList<ChatMessage>, ChatResponse> answer) : IModelClientFactory
{
    public IChatClient Create(ModelSpec model, ProviderSettings settings, ModelClientOptions options) => new Client(model, answer);

    private sealed class Client(ModelSpec model, Func<ModelSpec, IReadOnlyList<ChatMessage>, ChatResponse> answer) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(answer(model, messages.ToList()));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
