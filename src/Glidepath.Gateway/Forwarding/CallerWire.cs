using Glidepath.Gateway.Wire;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// The error format for a request whose path does not say it (feedback, a path no endpoint takes): Anthropic's when the
/// request looks like an Anthropic SDK's, else OpenAI's. Current Anthropic SDKs send their key as
/// <c>Authorization: Bearer</c> like OpenAI's, so <c>x-api-key</c> alone misses them; every Anthropic SDK sends
/// <c>anthropic-version</c>, and its other calls (<c>/v1/messages/count_tokens</c>, batches) are under <c>/v1/messages/</c>.
/// </summary>
internal static class CallerWire
{
    public const string AnthropicVersionHeader = "anthropic-version";

    public static IWireFormat Of(HttpRequest request)
    {
        var headers = request.Headers;
        var anthropic = headers.ContainsKey(CallerAuthentication.ApiKeyHeader) || headers.ContainsKey(AnthropicVersionHeader) ||
            request.Path.StartsWithSegments("/v1/messages", StringComparison.OrdinalIgnoreCase);
        return anthropic ? AnthropicWire.Instance : OpenAiWire.Instance;
    }
}
