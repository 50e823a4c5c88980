namespace Glidepath.Providers;

internal static class ProviderNames
{
    public const string Anthropic = "anthropic";
    public const string OpenAI = "openai";
    public const string Sim = "sim";

    public const string AnthropicDefaultBaseUrl = "https://api.anthropic.com";
    public const string OpenAIDefaultBaseUrl = "https://api.openai.com/v1";
}
