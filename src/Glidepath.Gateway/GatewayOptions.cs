using Glidepath.Errors;

namespace Glidepath.Gateway;

/// <summary>The gateway's endpoint settings (the serving core has its own, <see cref="Glidepath.Serving.ServingOptions"/>).</summary>
public sealed record GatewayOptions
{
    /// <summary>Largest chat request body read; more is a 413 in the caller's format.</summary>
    public long MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Whether chat and feedback requests need a caller's key (<c>Authorization: Bearer gpk_…</c> or <c>x-api-key</c>);
    /// off, every request is served anonymously. <c>serve</c> turns it on for non-loopback binds (<see cref="Hosting.GatewayAuthentication"/>).
    /// </summary>
    public bool RequireKeys { get; init; }

    /// <summary>
    /// Whether a request whose wire format is the release provider's own (OpenAI → an OpenAI-compatible provider,
    /// Anthropic → Anthropic) passes through: its body is patched with the release and sent as is, and the answer is
    /// copied back while a tap reads usage and finish reason. Off, every request is translated (<c>serve --no-pass-through</c>).
    /// </summary>
    public bool PassThrough { get; init; } = true;

    /// <summary>
    /// Longest wait of a feedback request for a trace this gateway issued that is still on its way to the store (online
    /// scoring, the trace queue); then a 503 with <c>Retry-After</c>, since the trace exists but is not stored yet.
    /// </summary>
    public TimeSpan FeedbackTraceWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws a <see cref="BadInputException"/> naming a setting the gateway cannot work with.</summary>
    public void Validate()
    {
        if (MaxRequestBodyBytes < 1024)
        {
            throw new BadInputException($"gateway option {nameof(MaxRequestBodyBytes)} is {MaxRequestBodyBytes}; expected at least 1024 bytes");
        }
    }
}
