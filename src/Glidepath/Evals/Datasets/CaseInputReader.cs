using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// Reads a case's <c>input</c>: the conversation (<c>messages</c>) and the template variables (<c>vars</c>). A key it
/// does not read is an error, as at the top of a case: a typo such as <c>varz</c> would otherwise run the case with
/// other values than the author wrote, and an assistant message's <c>tool_calls</c> would be dropped, so the case
/// would test another conversation than the one written.
/// </summary>
internal static class CaseInputReader
{
    private const string MessageShape = "{\"role\": \"user\" | \"assistant\" | \"system\", \"content\": \"...\"}";

    public static void Read(JsonObject input, List<ChatMessage> messages, Dictionary<string, string> vars, string where, List<string> errors)
    {
        foreach (var (key, _) in input)
        {
            if (key is not ("messages" or "vars"))
            {
                errors.Add($"{where}: unknown key '{key}' in input; expected only messages, vars{ClosestName.Suggestion(key, ["messages", "vars"])}");
            }
        }

        ReadMessages(input, messages, where, errors);
        ReadVars(input, vars, where, errors);
    }

    private static void ReadMessages(JsonObject input, List<ChatMessage> messages, string where, List<string> errors)
    {
        if (input["messages"] is not JsonArray arr || arr.Count == 0)
        {
            errors.Add($"{where}: \"input.messages\" is missing or empty; expected [{{\"role\": \"user\", \"content\": \"...\"}}]");
            return;
        }

        for (var i = 0; i < arr.Count; i++)
        {
            if (Message(arr[i] as JsonObject, $"input.messages[{i}]", where, errors) is { } message)
            {
                messages.Add(message);
            }
        }

        if (messages.Count > 0 && messages[^1].Role != ChatRole.User)
        {
            errors.Add($"{where}: the last message must be from the user; expected the conversation to end with the question");
        }
    }

    private static ChatMessage? Message(JsonObject? message, string at, string where, List<string> errors)
    {
        var role = message?["role"] is JsonValue rv && rv.TryGetValue<string>(out var r) ? r : null;
        var content = message?["content"] is JsonValue cv && cv.TryGetValue<string>(out var c) ? c : null;
        if (role == "tool")
        {
            errors.Add($"{where}: {at} has role 'tool': tool results in a case's conversation are not supported; expected {MessageShape} (write what the tool returned into a message's content)");
            return null;
        }

        if (role is not ("user" or "assistant" or "system") || content is null)
        {
            errors.Add($"{where}: {at} is not a message; expected {MessageShape}");
            return null;
        }

        var known = true;
        foreach (var (key, _) in message!)
        {
            if (key is "role" or "content")
            {
                continue;
            }

            known = false;
            errors.Add(key is "tool_calls" or "tool_call_id" or "function_call"
                ? $"{where}: {at}.{key}: tool calls and tool results in a case's conversation are not supported (they would not be sent); expected only role, content (write what the tool returned into a message's content)"
                : $"{where}: unknown key '{key}' in {at}; expected only role, content");
        }

        return known ? new ChatMessage(new ChatRole(role), content) : null;
    }

    private static void ReadVars(JsonObject input, Dictionary<string, string> vars, string where, List<string> errors)
    {
        switch (input["vars"])
        {
            case null:
                return;
            case JsonObject vo:
                foreach (var (k, v) in vo)
                {
                    if (v is JsonValue value && value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    {
                        vars[k] = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                    }
                    else
                    {
                        errors.Add($"{where}: input.vars.{k} has the wrong type; expected a string, number or boolean");
                    }
                }

                return;
            default:
                errors.Add($"{where}: \"input.vars\" must be an object; expected e.g. {{\"customer_tier\": \"gold\"}}");
                return;
        }
    }
}
