using System.Text.Json;
using Glidepath.Serving.Chat;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>Reads an OpenAI chat-completions request body into a <see cref="ChatRequest"/> (<see cref="OpenAiWire"/>'s requests); a body it cannot read is a 400 naming the field.</summary>
internal static class OpenAiRequestReader
{
    public static ChatRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw WireException.BadRequest("the request body must be a JSON object with 'model' and 'messages'");
        }

        var model = Json.Model(root);
        var messages = Json.Messages(root);

        CheckChoices(root);
        RefuseLegacyFunctions(root);

        var list = new List<ChatMessage>(messages.GetArrayLength());
        var i = 0;
        foreach (var m in messages.EnumerateArray())
        {
            var message = Message(m, $"messages[{i++}]");
            if (message.Role != ChatRole.System || KeepsSystemText(message))
            {
                list.Add(message);
            }
        }

        var options = new ChatOptions
        {
            Temperature = (float?)Json.Number(root, "temperature", 0, 2),
            TopP = (float?)Json.Number(root, "top_p", 0, 1),
            MaxOutputTokens = Json.Integer(root, "max_completion_tokens", min: 1) ?? Json.Integer(root, "max_tokens", min: 1),
            Seed = Json.Long(root, "seed"),
        };
        if (root.TryGetProperty("stop", out var stop))
        {
            options.StopSequences = stop.ValueKind switch
            {
                JsonValueKind.String => [Json.Text(stop, "stop")],
                JsonValueKind.Array => Json.Strings(stop, "stop"),
                JsonValueKind.Null => null,
                _ => throw WireException.BadRequest("'stop' must be a string or an array of strings"),
            };
        }

        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind != JsonValueKind.Null)
        {
            if (tools.ValueKind != JsonValueKind.Array)
            {
                throw WireException.BadRequest("'tools' must be an array of {\"type\": \"function\", \"function\": {\"name\", …}}");
            }

            options.Tools = [];
            var names = new HashSet<string>(StringComparer.Ordinal);
            var t = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                var fn = Json.Object(tool, $"tools[{t}]").TryGetProperty("function", out var f) ? Json.Object(f, $"tools[{t}].function") : tool;
                var schema = fn.TryGetProperty("parameters", out var p) ? p : default;
                options.Tools.Add(Json.Tool(Json.String(fn, "name", $"tools[{t}].function.") ?? "", Json.String(fn, "description", $"tools[{t}].function."), schema, $"tools[{t}].function", names));
                t++;
            }
        }

        options.ToolMode = ToolMode(root);

        // At most one tool call per turn when false: translated to Anthropic's tool_choice.disable_parallel_tool_use.
        if (root.TryGetProperty("parallel_tool_calls", out var parallel) && parallel.ValueKind != JsonValueKind.Null)
        {
            options.AllowMultipleToolCalls = Json.Bool(root, "parallel_tool_calls");
        }
        var include = root.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object && Json.Bool(so, "include_usage");
        return new ChatRequest
        {
            Model = model,
            Messages = list,
            Options = options,
            Stream = Json.Bool(root, "stream"),
            IncludeUsage = include,
            User = Json.String(root, "user", ""),
        };
    }

    /// <summary>
    /// <c>n</c>: one choice per request, so 1 or absent (null). Anything else is refused saying so, 2.0 included
    /// (until 2026-12-05 that said "an integer from 1 to 2147483647").
    /// </summary>
    private static void CheckChoices(JsonElement root)
    {
        if (root.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null && !(n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var count) && count == 1))
        {
            throw WireException.BadRequest(n.ValueKind == JsonValueKind.Number
                ? $"'n' is {n.GetRawText()}; the gateway answers one choice per request, so 'n' can only be 1 (or left out): send one request per choice"
                : "'n' must be the integer 1 (or left out): the gateway answers one choice per request");
        }
    }

    /// <summary>
    /// OpenAI's deprecated <c>functions</c> and <c>function_call</c> are refused, not passed through: they would declare
    /// and force a tool around the release's tool rules (its tools first, a caller's tool of the same name dropped, the
    /// <c>tool_choice</c> check). Null is absent.
    /// </summary>
    private static void RefuseLegacyFunctions(JsonElement root)
    {
        if (root.TryGetProperty("functions", out var functions) && functions.ValueKind != JsonValueKind.Null)
        {
            throw WireException.BadRequest("'functions' (OpenAI's deprecated form) is not accepted by the gateway; declare the functions in 'tools' as {\"type\": \"function\", \"function\": {…}}");
        }

        if (root.TryGetProperty("function_call", out var call) && call.ValueKind != JsonValueKind.Null)
        {
            throw WireException.BadRequest("'function_call' (OpenAI's deprecated form) is not accepted by the gateway; send 'tool_choice' instead (\"none\", \"auto\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": …}})");
        }
    }

    /// <summary>
    /// Drops a system message's empty text parts and says whether anything is left: an empty system text (<c>""</c>)
    /// would become an empty text block at Anthropic, which refuses it.
    /// </summary>
    private static bool KeepsSystemText(ChatMessage message)
    {
        var contents = message.Contents;
        for (var c = contents.Count - 1; c >= 0; c--)
        {
            if (contents[c] is TextContent { Text.Length: 0 })
            {
                contents.RemoveAt(c);
            }
        }

        return contents.Count > 0;
    }

    // The forms OpenAI takes: "none", "auto", "required", or {"type":"function","function":{"name":…}}; anything else is
    // refused rather than quietly served as "auto".
    private static ChatToolMode? ToolMode(JsonElement root)
    {
        if (!root.TryGetProperty("tool_choice", out var choice) || choice.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        const string Expected = "'tool_choice' must be \"none\", \"auto\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": …}}";
        return choice.ValueKind switch
        {
            JsonValueKind.String => choice.GetString() switch
            {
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                "auto" => ChatToolMode.Auto,
                _ => throw WireException.BadRequest(Expected),
            },
            JsonValueKind.Object when Json.String(choice, "type", "tool_choice.") is null or "function" && choice.TryGetProperty("function", out var fn) && fn.ValueKind == JsonValueKind.Object =>
                Json.String(fn, "name", "tool_choice.function.") is { } name && !string.IsNullOrWhiteSpace(name)
                    ? ChatToolMode.RequireSpecific(name)
                    : throw WireException.BadRequest("'tool_choice.function.name' is required: the name of a declared tool"),
            _ => throw WireException.BadRequest(Expected),
        };
    }

    private static ChatMessage Message(JsonElement m, string where)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            throw WireException.BadRequest($"'{where}' must be an object with 'role' and 'content'");
        }

        var role = Json.String(m, "role", where + ".") ?? throw WireException.BadRequest($"'{where}.role' is required");
        var message = new ChatMessage
        {
            Role = role switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                "tool" => ChatRole.Tool,
                _ => throw WireException.BadRequest($"'{where}.role' is '{role}'; expected system, developer, user, assistant or tool"),
            },
        };

        if (role == "tool")
        {
            var callId = Json.String(m, "tool_call_id", where + ".") ?? throw WireException.BadRequest($"'{where}.tool_call_id' is required for a tool message");
            message.Contents.Add(new FunctionResultContent(callId, ContentText(m, where)));
            return message;
        }

        if (m.TryGetProperty("content", out var content))
        {
            AddContent(message, content, where);
        }

        if (m.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            var c = 0;
            foreach (var call in calls.EnumerateArray())
            {
                var w = $"{where}.tool_calls[{c++}]";
                var fn = Json.Object(call, w).TryGetProperty("function", out var f) ? Json.Object(f, w + ".function") : throw WireException.BadRequest($"'{w}.function' is required");
                message.Contents.Add(new FunctionCallContent(
                    Json.String(call, "id", w + ".") ?? "",
                    Json.String(fn, "name", w + ".function.") ?? throw WireException.BadRequest($"'{w}.function.name' is required"),
                    Json.ArgumentsFromString(Json.String(fn, "arguments", w + ".function."), w + ".function.arguments")));
            }
        }

        return message;
    }

    private static string ContentText(JsonElement m, string where)
    {
        if (!m.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            return "";
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return Json.Text(content, where + ".content");
        }

        var msg = new ChatMessage();
        AddContent(msg, content, where);
        return msg.Text;
    }

    private static void AddContent(ChatMessage message, JsonElement content, string where)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.Null:
                return;
            case JsonValueKind.String:
                message.Contents.Add(new TextContent(Json.Text(content, where + ".content")));
                return;
            case JsonValueKind.Array:
                foreach (var part in content.EnumerateArray())
                {
                    var type = part.ValueKind == JsonValueKind.Object ? Json.String(part, "type", where + ".content[].") : null;
                    switch (type)
                    {
                        case "text":
                            message.Contents.Add(new TextContent(Json.String(part, "text", where + ".content[].") ?? ""));
                            break;
                        case "image_url":
                            var img = part.TryGetProperty("image_url", out var i) ? i : default;
                            var url = img.ValueKind == JsonValueKind.String
                                ? Json.Text(img, where + ".content[].image_url")
                                : Json.String(Json.Object(img, where + ".content[].image_url"), "url", where + ".content[].image_url.");
                            message.Contents.Add(ImageParts.FromUrl(url ?? throw WireException.BadRequest($"'{where}.content[].image_url.url' is required"), where + ".content[].image_url.url"));
                            break;
                        default:
                            throw WireException.BadRequest($"'{where}.content' has a part of type '{type}'; the gateway accepts text and image_url parts");
                    }
                }

                return;
            default:
                throw WireException.BadRequest($"'{where}.content' must be a string or an array of content parts");
        }
    }
}
