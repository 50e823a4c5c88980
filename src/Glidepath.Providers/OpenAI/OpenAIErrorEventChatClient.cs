using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Models;
using Glidepath.Providers.Http;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.OpenAI;

/// <summary>
/// Fails a stream at the <c>data: {"error": …}</c> event an OpenAI-compatible server sends when it fails after the stream
/// began. The OpenAI SDK reads that event as an empty update and goes on, so without this the provider's message would
/// be lost (the stream would still fail, for want of a finish reason, in the resilience layer).
/// </summary>
internal sealed class OpenAIErrorEventChatClient(IChatClient inner, string? apiKey) : DelegatingChatClient(inner)
{
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            // Only an update with nothing in it can be an error event: the answer's own chunks are never re-read.
            // An error event has no role, no deltas and no usage: the role-only first chunk and the usage chunk are let
            // through without being written and parsed again (a chunk of fields the SDK does not know still is).
            if (update.Contents.Count == 0 && update.FinishReason is null && update.RawRepresentation is global::OpenAI.Chat.StreamingChatCompletionUpdate raw &&
                raw.ContentUpdate.Count == 0 && raw.ToolCallUpdates.Count == 0 && raw.Role is null && raw.Usage is null && ErrorOf(raw) is { } error)
            {
                throw new ProviderException(ProviderNames.OpenAI, null, ApiKey.Scrub(error, apiKey), ProviderFailure.ServerError);
            }

            yield return update;
        }
    }

    /// <summary>The provider's message when the event is <c>{"error": …}</c> (the SDK keeps unknown fields); else null.</summary>
    private static string? ErrorOf(global::OpenAI.Chat.StreamingChatCompletionUpdate raw)
    {
        var json = ModelReaderWriter.Write(raw, ModelReaderWriterOptions.Json).ToString();
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind is not JsonValueKind.Null
            ? ProviderHttpHandler.ErrorMessage(json, null)
            : null;
    }
}
