using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// The caller's <c>anthropic-beta</c> header, kept for the one place it may go: a request forwarded as it came to an
/// Anthropic provider, whose beta body fields mean nothing without it. Which names are sent is the operator's choice
/// (<c>providers.anthropic.caller_betas</c>, <see cref="Glidepath.Manifests.ProviderSettings.CallerBetas"/>): a beta can
/// change what a request costs, or make the provider refuse it (an error counted against the release that served it).
/// Names not listed are dropped, as the header was before it was forwarded; nothing is refused here.
/// </summary>
internal static class AnthropicBetaHeader
{
    public const string Name = "anthropic-beta";

    /// <summary>The header's values joined with commas (the forwarder keeps only the listed names), or null when absent.</summary>
    public static string? Read(IHeaderDictionary headers)
    {
        var values = headers[Name];
        return values.Count == 0 ? null : string.Join(',', values.ToArray());
    }
}
