namespace Glidepath.Providers;

/// <summary>Where each provider is reached when the manifest names no <c>base_url</c>.</summary>
internal static class ProviderDefaults
{
    public const string AnthropicDefaultBaseUrl = "https://api.anthropic.com";
    public const string OpenAIDefaultBaseUrl = "https://api.openai.com/v1";
}
