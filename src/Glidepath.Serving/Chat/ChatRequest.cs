using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Chat;

/// <summary>
/// A chat request in the Microsoft.Extensions.AI pivot, whatever brought it: a wire format read by the gateway
/// (OpenAI chat completions, Anthropic messages) or an in-process client.
/// </summary>
public sealed class ChatRequest
{
    /// <summary>The app, or <c>app@environment</c>, the caller addressed.</summary>
    public required string Model { get; init; }
    public required List<ChatMessage> Messages { get; init; }

    /// <summary>What the caller asked for (sampling, stop, tools); the release's settings override it. The core only
    /// reads it (the provider gets fresh options), so a host may pass one shared instance.</summary>
    public required ChatOptions Options { get; init; }

    /// <summary>Whether the caller wants the answer as a stream of updates.</summary>
    public bool Stream { get; init; }

    /// <summary>Whether a streamed answer ends with usage (OpenAI <c>stream_options.include_usage</c>; Anthropic always sends it).</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>The caller's end-user id (OpenAI <c>user</c>): a sticky key for the split.</summary>
    public string? User { get; init; }

    /// <summary>The caller's end-user id (Anthropic <c>metadata.user_id</c>): a sticky key for the split.</summary>
    public string? MetadataUserId { get; init; }

    /// <summary>
    /// Whether the caller's Anthropic body has an empty text block (a text block whose <c>text</c> is <c>""</c>, or a
    /// message whose content is <c>""</c>), which Anthropic refuses: the reader leaves them out of <see cref="Messages"/>
    /// (and a message left with no content), and a host that forwards the caller's own body must leave them out too.
    /// </summary>
    public bool HasEmptyText { get; init; }
}
