using Microsoft.Extensions.AI;

namespace Glidepath.Models;

/// <summary>The messages and options for one call of a release's model.</summary>
public sealed record PreparedConversation(List<ChatMessage> Messages, ChatOptions Options);
