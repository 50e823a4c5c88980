using System.Text.Json.Nodes;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// A case's message without text (<c>"content": ""</c>, or only whitespace) is refused at load: providers reject an empty
/// message, so every trial of the case would error (or, on a provider that takes it, ask nothing), and the author learns
/// it only after paying for the run.
/// </summary>
internal static class EmptyMessageCheck
{
    public static void Check(JsonObject evalCase, string where, List<string> errors)
    {
        if (evalCase["input"] is not JsonObject input || input["messages"] is not JsonArray messages)
        {
            return;
        }

        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is JsonObject message && message["content"] is JsonValue content
                && content.TryGetValue<string>(out var text) && string.IsNullOrWhiteSpace(text))
            {
                var role = message["role"] is JsonValue r && r.TryGetValue<string>(out var name) ? name + " " : "";
                errors.Add($"{where}: input.messages[{i}] is an empty {role}message (\"content\": {content.ToJsonString()}); expected its text (providers refuse an empty message)");
            }
        }
    }
}
