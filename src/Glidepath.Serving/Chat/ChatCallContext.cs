namespace Glidepath.Serving.Chat;

/// <summary>What a host knows about a call besides its body: the API it came in by, who it is for, its prompt vars, when it began.</summary>
public sealed record ChatCallContext
{
    /// <summary>The caller-facing API as recorded on traces: <c>openai</c>, <c>anthropic</c>, or an in-process client's name.</summary>
    public required string Api { get; init; }

    /// <summary>An explicit sticky key (the gateway's <c>Glidepath-Subject</c> header); it comes before the request's user.</summary>
    public string? Subject { get; init; }

    /// <summary>A conversation id (the <c>Glidepath-Conversation</c> header): the sticky key when no subject or user is given.</summary>
    public string? Conversation { get; init; }

    /// <summary>This call's own prompt variables (<c>Glidepath-Var-*</c> headers), over the environment's; null when it has none.</summary>
    public IReadOnlyDictionary<string, string>? Vars { get; init; }

    /// <summary>
    /// The caller's <c>anthropic-beta</c> header (beta names only, checked by the host), sent on with the caller's own body
    /// when the call passes through to an Anthropic provider (and to a shadow candidate forwarded the same way). The
    /// translating path sends none: it drops the body fields a beta would enable.
    /// </summary>
    public string? AnthropicBeta { get; init; }

    /// <summary>The id of the caller's key when the host authenticated one; recorded on the trace and charged its cost.</summary>
    public string? KeyId { get; init; }

    /// <summary>The name of the caller's key, recorded on the trace.</summary>
    public string? KeyName { get; init; }

    /// <summary>When the host received the call, as a <see cref="System.Diagnostics.Stopwatch"/> timestamp: overhead counts from here.</summary>
    public required long Start { get; init; }

    /// <summary>When the host received the call, as recorded on the trace.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>
    /// Whether the call's span began its own trace here (a gateway: one request, one trace), so its W3C trace id can be
    /// the stored id. False in an app's own process (the SDK), where one trace of the app holds many calls: each gets
    /// an id of its own (<see cref="Tracing.TraceIds"/>), named on its span as <c>glidepath.trace_id</c>.
    /// </summary>
    public bool TraceFromSpan { get; init; }
}
