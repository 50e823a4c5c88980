namespace Glidepath.Extensions.AI;

/// <summary>
/// Keys of <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> read by <see cref="GlidepathChatClient"/>,
/// and of <see cref="Microsoft.Extensions.AI.ChatResponse.AdditionalProperties"/> it writes. Glidepath's keys are removed
/// before a request reaches a model.
/// </summary>
public static class GlidepathProperties
{
    /// <summary>Request: the sticky routing subject (a string, e.g. a user id); wins over <see cref="GlidepathSubject.Current"/>.</summary>
    public const string Subject = "glidepath.subject";

    /// <summary>Request: a conversation id (a string), the sticky key when no subject is set.</summary>
    public const string Conversation = "glidepath.conversation";

    /// <summary>Request: prompt variables for this call (an <c>IReadOnlyDictionary&lt;string, string&gt;</c>), over the environment's <c>vars</c>.</summary>
    public const string Vars = "glidepath.vars";

    /// <summary>Response: the label of the release that answered, e.g. <c>v7+3f9c2a1b</c>.</summary>
    public const string Release = "glidepath.release";

    /// <summary>Response: the arm that answered, <c>stable</c> or <c>canary</c>.</summary>
    public const string Arm = "glidepath.arm";

    /// <summary>Response: the trace id (32 hex digits), for feedback and <c>glidepath traces show</c>.</summary>
    public const string TraceId = "glidepath.trace_id";

    /// <summary>
    /// In inner-client mode, true in the <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> of a shadow candidate's call to
    /// the app's own client (its tools are declarations only, never run): middleware with side effects can skip it.
    /// </summary>
    public const string Shadow = "glidepath.shadow";
}
