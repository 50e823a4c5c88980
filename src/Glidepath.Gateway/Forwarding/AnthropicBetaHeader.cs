using Glidepath.Gateway.Wire;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// The caller's <c>anthropic-beta</c> header: the one request header of a caller that reaches the provider (on the
/// Anthropic pass-through path), because the beta fields of a body the gateway copies mean nothing without it. Only
/// beta names go through (<c>context-1m-2025-08-07</c>): anything else in it is refused, so the header can carry no
/// key, no token and no other header's text to the provider.
/// </summary>
internal static class AnthropicBetaHeader
{
    public const string Name = "anthropic-beta";

    /// <summary>Longest beta name (Anthropic's run to about 40 characters).</summary>
    public const int MaxNameChars = 64;

    /// <summary>Most beta names in one request.</summary>
    public const int MaxNames = 16;

    /// <summary>
    /// The names in the header (or several), comma-separated without spaces as Anthropic takes them; null when there are
    /// none. A value that is not a list of beta names is a 400 (<see cref="WireException"/>) naming what is expected.
    /// </summary>
    public static string? Read(IHeaderDictionary headers)
    {
        var values = headers[Name];
        if (values.Count == 0)
        {
            return null;
        }

        var names = new List<string>();
        foreach (var value in values)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!IsBetaName(part))
                {
                    var shown = part.Length > 40 ? part[..40] + "…" : part;
                    throw WireException.BadRequest(
                        $"header '{Name}' holds '{shown}', which is not a beta name; expected names such as 'context-1m-2025-08-07' (lower-case letters, digits and '-', at most {MaxNameChars} characters), separated by commas");
                }

                names.Add(part);
            }
        }

        if (names.Count > MaxNames)
        {
            throw WireException.BadRequest($"header '{Name}' names {names.Count} betas; at most {MaxNames} are taken");
        }

        return names.Count == 0 ? null : string.Join(',', names);
    }

    private static bool IsBetaName(string name)
    {
        if (name.Length is 0 or > MaxNameChars || !char.IsAsciiLetterLower(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
