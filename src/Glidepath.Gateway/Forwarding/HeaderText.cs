using System.Text;
using Microsoft.Net.Http.Headers;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// How the request headers the gateway reads are decoded, and which of their values it refuses. Kestrel decodes a header
/// value as ASCII, or UTF-8 when it is not, and answers bytes that are neither (a Latin-1 <c>é</c>, <c>\xff</c>) with an
/// empty 400 before any endpoint sees the request: not the caller's wire format with a message the docs promise (trial
/// attacker2 #7). For the headers read here, <c>glidepath serve</c> has Kestrel decode such bytes as U+FFFD instead
/// (<see cref="Decoding"/>, its <c>RequestHeaderEncodingSelector</c>), and the chat endpoints refuse such a value with a
/// 400 in the caller's format (<see cref="RequestReader.CheckHeaders"/>); a key or token in one matches nothing (401).
/// Every other header is decoded as Kestrel does by default.
/// </summary>
internal static class HeaderText
{
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Kestrel's encoding for the header <paramref name="name"/>: lenient UTF-8 for a header read here, else its default (null).</summary>
    public static Encoding? Decoding(string name) => Read(name) ? Lenient : null;

    /// <summary>The headers the gateway reads from callers: its own (<c>Glidepath-*</c>), the caller's key, the Anthropic version and betas.</summary>
    public static bool Read(string name) =>
        name.StartsWith("Glidepath-", StringComparison.OrdinalIgnoreCase)
        || name.Equals(HeaderNames.Authorization, StringComparison.OrdinalIgnoreCase)
        || name.Equals(CallerAuthentication.ApiKeyHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(AnthropicBetaHeader.Name, StringComparison.OrdinalIgnoreCase)
        || name.Equals(CallerWire.AnthropicVersionHeader, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A value that was not UTF-8 (decoded to U+FFFD; a U+FFFD sent as such is refused too, which no header of ours
    /// needs) or holds a NUL, which Kestrel's default decoding refuses and a chosen encoding lets through.
    /// </summary>
    public static bool Malformed(string? value) => value is not null && value.AsSpan().IndexOfAny('\uFFFD', '\0') >= 0;
}
