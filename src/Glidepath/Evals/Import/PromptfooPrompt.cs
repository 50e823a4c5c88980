using System.Text.Json.Nodes;
using Glidepath.Errors;

namespace Glidepath.Evals.Import;

/// <summary>
/// The first prompt of a promptfoo config, as the template of each case's user message: inline text, or a <c>file://</c>
/// text prompt (<c>.txt</c>, <c>.md</c>) read as promptfoo reads it. A chat prompt, a script, a wildcard or another kind of
/// file is noted and gives no template (the user message then comes from the test vars).
/// </summary>
internal static class PromptfooPrompt
{
    private const string Fallback = "the user message is taken from the test vars instead";

    /// <summary>The template, or null when there is no prompt or the first one cannot be converted.</summary>
    internal static string? Template(JsonNode? prompts, PromptfooSource config, PromptfooFiles files, List<string> notes)
    {
        var list = prompts switch
        {
            JsonArray a => a.ToList(),
            // promptfoo's older form, { "file://prompt.txt": label }: the keys are the prompts.
            JsonObject legacy => legacy.Select(kv => (JsonNode?)JsonValue.Create(kv.Key)).ToList(),
            JsonValue v => [v],
            _ => [],
        };
        // An entry { id: file://…, label: … } names its prompt by id when it has no raw, as promptfoo reads it.
        var texts = list.Select(p => p is JsonObject o ? (o["raw"] ?? o["id"])?.ToString() : p?.ToString()).ToList();
        if (texts.Count == 0)
        {
            return null;
        }

        if (texts.Count > 1)
        {
            notes.Add($"{texts.Count} prompts: only the first is used to build each case's user message (a Glidepath release has one system prompt)");
        }

        return texts[0] switch
        {
            null => Note(notes, $"prompt (object) has no raw text; {Fallback}"),
            var first when PromptfooFiles.IsReference(first) => FromFile(first, config, files, notes),
            var first => first,
        };
    }

    private static string? FromFile(string reference, PromptfooSource config, PromptfooFiles files, List<string> notes)
    {
        var extension = Path.GetExtension(reference).ToLowerInvariant();
        // A script prompt may name its function: file://prompt.py:build.
        var withoutFunction = extension.Split(':')[0];
        var why = reference.Contains('*', StringComparison.Ordinal) ? "a wildcard: write the one prompt to convert as a .txt file"
            : PromptfooReferences.ScriptExtensions.Contains(withoutFunction) ? "a script: what it returns is known only by running it"
            : extension is ".txt" or ".md" or ".json" or ".yaml" or ".yml" ? null
            : "only .txt and .md text prompts are read";
        if (why is not null)
        {
            return Note(notes, $"prompt {reference} is not converted ({why}); {Fallback}");
        }

        var text = files.Read(reference, config);
        if (extension is ".json" or ".yaml" or ".yml")
        {
            return Note(notes, $"prompt {reference} {ChatNote(text, PromptfooReferences.NameOf(reference, config))}; {Fallback}");
        }

        var prompts = extension == ".md" ? [text] : SplitText(text);
        if (prompts.Count == 0 || string.IsNullOrWhiteSpace(prompts[0]))
        {
            throw new BadInputException($"{config.At(reference)}: {reference} holds no prompt; expected the prompt's text");
        }

        if (prompts.Count > 1)
        {
            notes.Add($"prompt {reference} holds {prompts.Count} prompts (separated by --- lines): only the first is used to build each case's user message");
        }

        return prompts[0];
    }

    private static string ChatNote(string text, string name)
    {
        JsonNode? parsed;
        try
        {
            parsed = PromptfooReferences.Parse(text, name);
        }
        catch (BadInputException)
        {
            // promptfoo sends such a file as text; here it is not converted either way, so this is a note, not an error.
            return "is not valid JSON or YAML; not converted";
        }

        return parsed is JsonArray { Count: > 0 } messages && messages.All(m => m is JsonObject o && o["role"] is not null)
            ? $"is a chat prompt ({messages.Count} messages); not converted (a case gets one user message, from a text prompt; a system message belongs in the release's prompt.system)"
            : "holds no list of {role, content} messages; not converted";
    }

    /// <summary>A .txt file's prompts as promptfoo splits them: at lines holding only <c>---</c>, each trimmed, empty ones dropped.</summary>
    private static List<string> SplitText(string text)
    {
        var prompts = new List<string>();
        var buffer = new List<string>();
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')).Append("---"))
        {
            if (line.Trim() != "---")
            {
                buffer.Add(line);
                continue;
            }

            var prompt = string.Join('\n', buffer).Trim();
            if (prompt.Length > 0)
            {
                prompts.Add(prompt);
            }

            buffer.Clear();
        }

        return prompts;
    }

    private static string? Note(List<string> notes, string note)
    {
        notes.Add(note);
        return null;
    }
}
