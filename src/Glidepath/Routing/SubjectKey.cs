namespace Glidepath.Routing;

/// <summary>The key a request is bucketed by, and where it came from.</summary>
/// <param name="Value">The raw key (never logged or stored; traces keep its <see cref="SubjectHasher"/> hash).</param>
/// <param name="Source">subject, user, metadata.user_id, conversation or request.</param>
public readonly record struct SubjectKey(string Value, string Source)
{
    public const string FromSubjectHeader = "subject";
    public const string FromOpenAiUser = "user";
    public const string FromAnthropicUserId = "metadata.user_id";
    public const string FromConversationHeader = "conversation";
    public const string PerRequest = "request";

    /// <summary>True when the key identifies a subject (the arm is sticky), false for a per-request key.</summary>
    public bool IsSticky => Source != PerRequest;

    /// <summary>
    /// The first present of: header <c>Glidepath-Subject</c>, OpenAI <c>user</c>, Anthropic <c>metadata.user_id</c>,
    /// header <c>Glidepath-Conversation</c>; otherwise <paramref name="requestId"/> (a per-request draw).
    /// </summary>
    public static SubjectKey Choose(string? subjectHeader, string? openAiUser, string? anthropicUserId, string? conversationHeader, string requestId)
    {
        if (!string.IsNullOrEmpty(subjectHeader))
        {
            return new SubjectKey(subjectHeader, FromSubjectHeader);
        }

        if (!string.IsNullOrEmpty(openAiUser))
        {
            return new SubjectKey(openAiUser, FromOpenAiUser);
        }

        if (!string.IsNullOrEmpty(anthropicUserId))
        {
            return new SubjectKey(anthropicUserId, FromAnthropicUserId);
        }

        return !string.IsNullOrEmpty(conversationHeader)
            ? new SubjectKey(conversationHeader, FromConversationHeader)
            : new SubjectKey(requestId, PerRequest);
    }

    /// <summary>The key's hash for traces (<see cref="SubjectHasher"/>); null for a per-request key, which identifies no one.</summary>
    public string? HashWith(SubjectHasher hasher) => IsSticky ? (hasher ?? throw new ArgumentNullException(nameof(hasher))).Hash(Value) : null;
}
