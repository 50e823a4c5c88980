using System.Text.Json;
using Glidepath.Serving.Chat;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>Reads an Anthropic Messages request body into a <see cref="ChatRequest"/> (<see cref="AnthropicWire"/>'s requests); a body it cannot read is a 400 naming the field.</summary>
internal static class AnthropicRequestReader
{
    public static ChatRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw WireException.BadRequest("the request body must be a JSON object with 'model', 'max_tokens' and 'messages'");
        }

        var model = Json.Model(root);
        var messages = Json.Messages(root);

        var list = new List<ChatMessage>(messages.GetArrayLength() + 1);
        var emptyText = false;
        if (root.TryGetProperty("system", out var system))
        {
            emptyText = system.ValueKind == JsonValueKind.Array && system.EnumerateArray().Any(b => b.ValueKind == JsonValueKind.Object && string.IsNullOrEmpty(Json.String(b, "text", "system[].")));
            var text = system.ValueKind switch
            {
                JsonValueKind.String => Json.Text(system, "system"),
                JsonValueKind.Array => string.Concat(system.EnumerateArray().Select(b => Json.String(b, "text", "system[].") ?? "")),
                JsonValueKind.Null => null,
                _ => throw WireException.BadRequest("'system' must be a string or an array of text blocks"),
            };
            if (!string.IsNullOrEmpty(text))
            {
                list.Add(new ChatMessage(ChatRole.System, text));
            }
        }

        var i = 0;
        foreach (var m in messages.EnumerateArray())
        {
            emptyText |= AddMessage(list, m, $"messages[{i++}]");
        }

        var options = new ChatOptions
        {
            Temperature = (float?)Json.Number(root, "temperature", 0, 1),
            TopP = (float?)Json.Number(root, "top_p", 0, 1),
            TopK = Json.Integer(root, "top_k", min: 0),
            MaxOutputTokens = Json.Integer(root, "max_tokens", min: 1),
        };
        if (root.TryGetProperty("stop_sequences", out var stop) && stop.ValueKind != JsonValueKind.Null)
        {
            options.StopSequences = stop.ValueKind == JsonValueKind.Array
                ? Json.Strings(stop, "stop_sequences")
                : throw WireException.BadRequest("'stop_sequences' must be an array of strings");
        }

        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind != JsonValueKind.Null)
        {
            if (tools.ValueKind != JsonValueKind.Array)
            {
                throw WireException.BadRequest("'tools' must be an array of {\"name\", \"input_schema\", …}");
            }

            options.Tools = [];
            var names = new HashSet<string>(StringComparer.Ordinal);
            var t = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                // Anthropic's server tools (web search, web fetch, code execution, …) run at the provider, billed per use
                // and reaching outside services: the release declares the tools, so only client tools are accepted.
                if (Json.Object(tool, $"tools[{t}]").TryGetProperty("type", out var kind) && !(kind.ValueKind == JsonValueKind.String && kind.ValueEquals("custom")))
                {
                    throw new WireException(400, ErrorKinds.InvalidRequest, $"tools[{t}]: a tool of type {kind.GetRawText()} (one of the provider's built-in tool types: a server tool it runs, such as web search, or a client tool with a schema of its own, such as bash or the text editor) is not accepted through this gateway; declare custom tools (name, description, input_schema) only");
                }

                var schema = Json.Object(tool, $"tools[{t}]").TryGetProperty("input_schema", out var s) ? s : default;
                options.Tools.Add(Json.Tool(Json.String(tool, "name", $"tools[{t}].") ?? "", Json.String(tool, "description", $"tools[{t}]."), schema, $"tools[{t}]", names));
                t++;
            }
        }

        // The forms Anthropic takes: {"type": "auto" | "any" | "none" | "tool" (with "name")}; anything else is refused
        // rather than quietly served as "auto".
        if (root.TryGetProperty("tool_choice", out var choice) && choice.ValueKind != JsonValueKind.Null)
        {
            const string Expected = "'tool_choice' must be an object whose 'type' is \"auto\", \"any\", \"none\" or \"tool\" (with 'name')";
            options.ToolMode = (choice.ValueKind == JsonValueKind.Object ? Json.String(choice, "type", "tool_choice.") : null) switch
            {
                "auto" => ChatToolMode.Auto,
                "any" => ChatToolMode.RequireAny,
                "none" => ChatToolMode.None,
                "tool" => Json.String(choice, "name", "tool_choice.") is { } name && !string.IsNullOrWhiteSpace(name)
                    ? ChatToolMode.RequireSpecific(name)
                    : throw WireException.BadRequest("'tool_choice.name' is required with type 'tool': the name of a declared tool"),
                _ => throw WireException.BadRequest(Expected),
            };

            // At most one tool call per turn when true: translated to OpenAI's parallel_tool_calls: false.
            if (options.ToolMode is not NoneChatToolMode && choice.TryGetProperty("disable_parallel_tool_use", out var disable) && disable.ValueKind != JsonValueKind.Null)
            {
                options.AllowMultipleToolCalls = !Json.Bool(choice, "disable_parallel_tool_use");
            }
        }

        var userId = root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            ? Json.String(metadata, "user_id", "metadata.")
            : null;
        return new ChatRequest { Model = model, Messages = list, Options = options, Stream = Json.Bool(root, "stream"), MetadataUserId = userId, HasEmptyText = emptyText };
    }

    /// <summary>Adds the message (and its tool results) without its empty text blocks; none when nothing else is left. True when it had one.</summary>
    private static bool AddMessage(List<ChatMessage> list, JsonElement m, string where)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            throw WireException.BadRequest($"'{where}' must be an object with 'role' and 'content'");
        }

        var role = Json.String(m, "role", where + ".") switch
        {
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            var r => throw WireException.BadRequest($"'{where}.role' is '{r}'; expected user or assistant"),
        };
        if (!m.TryGetProperty("content", out var content))
        {
            throw WireException.BadRequest($"'{where}.content' is required");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            var text = Json.Text(content, where + ".content");
            if (text.Length == 0)
            {
                return true; // Anthropic refuses an empty text: left out, as an empty system text is
            }

            list.Add(new ChatMessage(role, text));
            return false;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw WireException.BadRequest($"'{where}.content' must be a string or an array of content blocks");
        }

        // Tool results travel in user turns on this wire and in tool-role messages in the pivot.
        var results = new ChatMessage(ChatRole.Tool, (IList<AIContent>)[]);
        var message = new ChatMessage(role, (IList<AIContent>)[]);
        var emptyText = false;
        foreach (var block in content.EnumerateArray())
        {
            var type = Json.String(block, "type", where + ".content[].");
            switch (type)
            {
                case "text":
                    if (Json.String(block, "text", where + ".content[].") is { Length: > 0 } text)
                    {
                        message.Contents.Add(new TextContent(text));
                    }
                    else
                    {
                        emptyText = true;
                    }

                    break;
                case "image":
                    message.Contents.Add(Image(block, where + ".content[].source"));
                    break;
                case "tool_use":
                    message.Contents.Add(new FunctionCallContent(
                        Json.String(block, "id", where + ".content[].") ?? "",
                        Json.String(block, "name", where + ".content[].") ?? throw WireException.BadRequest($"'{where}.content[].name' is required for tool_use"),
                        Json.Arguments(block.TryGetProperty("input", out var input) ? input : default)));
                    break;
                case "tool_result":
                    results.Contents.Add(new FunctionResultContent(Json.String(block, "tool_use_id", where + ".content[].") ?? "", ResultText(block, where + ".content[]")));
                    break;
                case "thinking" or "redacted_thinking":
                    break;
                default:
                    throw WireException.BadRequest($"'{where}.content' has a block of type '{type}'; the gateway accepts text, image, tool_use and tool_result");
            }
        }

        if (results.Contents.Count > 0)
        {
            list.Add(results);
        }

        if (message.Contents.Count > 0)
        {
            list.Add(message);
        }

        return emptyText;
    }

    private static AIContent Image(JsonElement block, string where)
    {
        var source = Json.Object(block.TryGetProperty("source", out var s) ? s : default, where);
        return Json.String(source, "type", where + ".") switch
        {
            "url" => ImageParts.Remote(Json.String(source, "url", where + ".") ?? "", where + ".url"),
            "base64" => ImageParts.FromBase64(
                Json.String(source, "data", where + ".") ?? throw WireException.BadRequest($"'{where}.data' is required"),
                Json.String(source, "media_type", where + ".") ?? throw WireException.BadRequest($"'{where}.media_type' is required"),
                where + ".data"),
            var other => throw WireException.BadRequest($"'{where}.type' is '{other}'; expected base64 or url"),
        };
    }

    private static string ResultText(JsonElement block, string where)
    {
        if (!block.TryGetProperty("content", out var c))
        {
            return "";
        }

        return c.ValueKind switch
        {
            JsonValueKind.String => Json.Text(c, where + ".content"),
            JsonValueKind.Array => string.Concat(c.EnumerateArray().Select(b => Json.String(b, "text", where + ".content[].") ?? "")),
            _ => "",
        };
    }
}
