using Glidepath.Routing;
using Glidepath.Traces;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// One stable request to mirror, taken after the caller was answered: the caller's input (messages, options, prompt
/// vars) to apply the candidate to, and the stable trace and answer to pair the candidate's with.
/// </summary>
/// <param name="Forwarded">When the host passed the caller's own body through (<see cref="ChatCall.MirrorForwarded"/>):
/// the wire it is in and how to patch it with another release (its applier and rendered system prompt), so the
/// candidate is called the same way, through its release's forwarder, when that forwarder speaks the same wire; and the size
/// of the caller's body the patch keeps.</param>
/// <param name="AnthropicBeta">The caller's <c>anthropic-beta</c> header, sent with a forwarded candidate's body as with the caller's.</param>
/// <param name="Own">The caller's own client when the stable call was answered by it (the SDK's inner-client mode): the
/// candidate is answered by the same client with its release applied the same way, never by the release's provider.</param>
/// <param name="Streamed">Whether the caller's answer was streamed: the candidate is then streamed too, so the pair's
/// latencies are measured alike (<see cref="ProviderClock"/>).</param>
internal sealed record ShadowJob(
    ShadowRoute Shadow,
    IReadOnlyList<ChatMessage> Messages,
    ChatOptions Options,
    IReadOnlyDictionary<string, string>? Vars,
    TraceRecord Stable,
    string StableText,
    (string Wire, Func<Glidepath.Models.ReleaseApplier, string, ReadOnlyMemory<byte>> Patch, int BodyBytes)? Forwarded = null,
    string? AnthropicBeta = null,
    IChatClient? Own = null,
    bool Streamed = false);
