using Glidepath.Gateway.Wire;
using Glidepath.Serving.Chat;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// The gateway's own request and response headers (see DESIGN.md, the gateway's wire contract; unlike it, the routing
/// headers are not on every answer: docs/gateway.md, "Response headers").
/// </summary>
internal static class GatewayHeaders
{
    /// <summary>The release that answered; with <see cref="Arm"/>, sent only to a route probe or where the environment sets <c>routing_headers: true</c>.</summary>
    public const string Release = "Glidepath-Release";
    public const string Arm = "Glidepath-Arm";
    public const string Trace = "Glidepath-Trace";
    public const string Subject = "Glidepath-Subject";
    public const string Conversation = "Glidepath-Conversation";
    public const string VarPrefix = "Glidepath-Var-";

    /// <summary>With value <c>route</c>: answer 204 with the routing headers only (no provider call, no trace); used by drills.</summary>
    public const string Probe = "Glidepath-Probe";

    /// <summary>What the headers tell the serving core about a call: its sticky keys, its own prompt vars, and the caller's key (<see cref="CallerAuthentication.Anonymous"/>: none).</summary>
    /// <param name="anthropicBeta">The caller's <c>anthropic-beta</c> names (<see cref="AnthropicBetaHeader"/>); the provider's <c>caller_betas</c> choose which are sent.</param>
    public static ChatCallContext Context(IHeaderDictionary headers, string api, long start, DateTimeOffset startedAt, Glidepath.Keys.ApiKey key, string? anthropicBeta = null) => new()
    {
        AnthropicBeta = anthropicBeta,
        Api = api,
        KeyId = key.Id is { Length: > 0 } id ? id : null,
        KeyName = key.Id.Length > 0 ? key.Name : null,
        Subject = headers[Subject],
        Conversation = headers[Conversation],
        Vars = Vars(headers),
        Start = start,
        StartedAt = startedAt,
        TraceFromSpan = true,
    };

    /// <summary>Longest value of a <c>Glidepath-Var-*</c> header: a tier or a locale, not a paragraph of instructions.</summary>
    public const int MaxVarChars = 200;

    /// <summary>
    /// Refuses (400, <see cref="WireException"/>) a <c>Glidepath-Var-*</c> header that names a variable the environment does
    /// not list in <c>request_vars</c>, that is sent more than once or empty, whose value is longer than <see cref="MaxVarChars"/>
    /// or holds a control character: a caller fills the slots the manifest opens with printable text, and nothing else
    /// reaches the system prompt.
    /// </summary>
    public static void CheckVars(IHeaderDictionary headers, IReadOnlySet<string> allowed, string environment)
    {
        foreach (var (name, value) in headers)
        {
            if (!name.StartsWith(VarPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var variable = name[VarPrefix.Length..];
            if (!allowed.Contains(variable))
            {
                throw new WireException(400, ErrorKinds.InvalidRequest, allowed.Count == 0
                    ? $"header '{name}' sets template variable '{variable}', but environment '{environment}' lets callers set none; list it under environments.{environment}.request_vars in glidepath.yaml, or drop the header"
                    : $"header '{name}' sets template variable '{variable}', which environment '{environment}' does not let callers set; allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))} (environments.{environment}.request_vars)");
            }

            // Two values would reach the prompt joined by a comma ("a,b"), a value nobody sent; an empty one would blank
            // the environment's value ("a  tier customer"). Neither is what a caller meant.
            if (value.Count > 1)
            {
                throw new WireException(400, ErrorKinds.InvalidRequest, $"header '{name}' is sent {value.Count} times; send it once, with one value");
            }

            var text = value.ToString();
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new WireException(400, ErrorKinds.InvalidRequest, $"header '{name}' is empty; send a value, or leave the header out to use the environment's");
            }

            if (text.Length > MaxVarChars)
            {
                throw new WireException(400, ErrorKinds.InvalidRequest, $"header '{name}' is {text.Length} characters; a request variable is at most {MaxVarChars}");
            }

            if (text.AsSpan().IndexOfAnyInRange('\u0000', '\u001f') >= 0 || text.Contains('\u007f', StringComparison.Ordinal))
            {
                // A value goes into the system prompt: a tier or a locale has no control characters (a tab, say, or an
                // escape sequence that would move a terminal's cursor when the prompt is shown).
                throw new WireException(400, ErrorKinds.InvalidRequest, $"header '{name}' holds a control character; a request variable is printable text such as a tier or a locale");
            }
        }
    }

    /// <summary>The <c>Glidepath-Var-*</c> headers by variable name; null when there are none.</summary>
    private static Dictionary<string, string>? Vars(IHeaderDictionary headers)
    {
        Dictionary<string, string>? vars = null;
        foreach (var (name, value) in headers)
        {
            if (name.Length > VarPrefix.Length && name.StartsWith(VarPrefix, StringComparison.OrdinalIgnoreCase))
            {
                vars ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                vars[name[VarPrefix.Length..]] = value.ToString();
            }
        }

        return vars;
    }
}
