using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Manifests;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Caching;

/// <summary>
/// sha256 of (provider, endpoint, model, parameters, provider options, messages, tools, trial index),
/// computed over canonical JSON. Never includes an API key.
/// </summary>
internal static class ResponseCacheKey
{
    public static string Compute(string provider, string? baseUrl, ModelSpec model, IEnumerable<ChatMessage> messages, ChatOptions? options, int trialIndex)
    {
        var root = new JsonObject
        {
            ["v"] = 1,
            ["provider"] = provider,
            ["base_url"] = baseUrl,
            ["model"] = options?.ModelId ?? model.Name,
            ["parameters"] = new JsonObject
            {
                ["temperature"] = options?.Temperature,
                ["max_tokens"] = options?.MaxOutputTokens,
                ["top_p"] = options?.TopP,
                ["top_k"] = options?.TopK,
                ["seed"] = options?.Seed,
                ["stop"] = options?.StopSequences is { } stop ? new JsonArray([.. stop.Select(s => (JsonNode?)s)]) : null,
                ["tool_mode"] = options?.ToolMode?.ToString(),
            },
            ["options"] = new JsonObject(model.Options.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))),
            ["messages"] = JsonSerializer.SerializeToNode(messages.ToList(), AIJsonUtilities.DefaultOptions),
            ["tools"] = new JsonArray([.. (options?.Tools ?? []).Select(Tool)]),
            ["trial"] = trialIndex,
        };
        var bytes = Encoding.UTF8.GetBytes(root.ToJsonString());
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static JsonNode Tool(AITool tool) => tool is AIFunctionDeclaration f
        ? new JsonObject { ["name"] = f.Name, ["description"] = f.Description, ["schema"] = JsonNode.Parse(f.JsonSchema.GetRawText()) }
        : new JsonObject { ["name"] = tool.Name, ["description"] = tool.Description };
}
