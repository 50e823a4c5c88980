namespace Glidepath.Models;

/// <summary>The model providers a manifest can name (<c>release.model.provider</c>, <c>providers:</c>): one list for the parser and the clients.</summary>
public static class ProviderNames
{
    public const string Anthropic = "anthropic";
    public const string OpenAI = "openai";
    public const string Sim = "sim";

    public static IReadOnlyList<string> All { get; } = [Anthropic, OpenAI, Sim];
}
