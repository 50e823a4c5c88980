using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>A chat request read from either wire format into the Microsoft.Extensions.AI pivot.</summary>
internal sealed class ChatRequest
{
    public required string Model { get; init; }
    public required List<ChatMessage> Messages { get; init; }

    /// <summary>What the caller asked for (sampling, stop, tools); the release's settings override it.</summary>
    public required ChatOptions Options { get; init; }

    public bool Stream { get; init; }

    /// <summary>OpenAI <c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>OpenAI <c>user</c>.</summary>
    public string? User { get; init; }

    /// <summary>Anthropic <c>metadata.user_id</c>.</summary>
    public string? MetadataUserId { get; init; }
}
