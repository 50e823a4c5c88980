using System.ClientModel;
using System.ClientModel.Primitives;
using Glidepath.Manifests;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Glidepath.Providers.OpenAI;

/// <summary>
/// Chat completions of any OpenAI-compatible server (OpenAI, Azure OpenAI v1, Ollama, vLLM, llama.cpp,
/// LiteLLM) through <c>Microsoft.Extensions.AI.OpenAI</c>, at a configurable base URL. Its own retries are off: ours apply.
/// A stream's error event fails the call with the provider's message (<see cref="OpenAIErrorEventChatClient"/>).
/// </summary>
internal static class OpenAIChatClientFactory
{
    /// <summary>Sent when no key is configured: local servers (Ollama, llama.cpp) ignore it, the SDK requires one.</summary>
    public const string NoKey = "no-key";

    public static IChatClient Create(ModelSpec model, string baseUrl, string? apiKey, HttpClient http, TimeSpan timeout)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(baseUrl.TrimEnd('/')),
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = timeout + TimeSpan.FromSeconds(1),
            Transport = new HttpClientPipelineTransport(http),
        };
        return new OpenAIErrorEventChatClient(new OpenAIClient(new ApiKeyCredential(apiKey ?? NoKey), options).GetChatClient(model.Name).AsIChatClient(), apiKey);
    }
}
