using System.Text.RegularExpressions;

namespace Glidepath.Evals.Runs;

/// <summary>Fills <c>{{name}}</c> placeholders of a system prompt from vars; unknown names are left as written.</summary>
public static partial class PromptTemplate
{
    public static string Render(string template, IReadOnlyDictionary<string, string> vars) =>
        vars.Count == 0 ? template : Placeholder().Replace(template, m => vars.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")]
    private static partial Regex Placeholder();
}
