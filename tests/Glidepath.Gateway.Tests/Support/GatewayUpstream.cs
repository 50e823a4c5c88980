namespace Glidepath.Gateway.Tests.Support;

/// <summary>Which provider a <see cref="GatewayFixture"/>'s release is on (at a <see cref="ScriptedUpstream"/>), and whether the gateway passes requests through.</summary>
/// <param name="AnthropicSettings">Added to the manifest's anthropic provider settings, e.g. <c>, caller_betas: [x]</c>.</param>
internal sealed record GatewayUpstream(string Provider, bool PassThrough, string AnthropicSettings = "")
{
    public static readonly GatewayUpstream OpenAiPassThrough = new("openai", true);
    public static readonly GatewayUpstream AnthropicPassThrough = new("anthropic", true);
    public static readonly GatewayUpstream OpenAiTranslating = new("openai", false);
    public static readonly GatewayUpstream AnthropicTranslating = new("anthropic", false);
}
