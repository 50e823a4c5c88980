using Glidepath.Routing;
using Glidepath.Traces;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// One stable request to mirror, taken after the caller was answered: the caller's input (messages, options, prompt
/// vars) to apply the candidate to, and the stable trace and answer to pair the candidate's with.
/// </summary>
internal sealed record ShadowJob(
    ShadowRoute Shadow,
    IReadOnlyList<ChatMessage> Messages,
    ChatOptions Options,
    IReadOnlyDictionary<string, string>? Vars,
    TraceRecord Stable,
    string StableText);
