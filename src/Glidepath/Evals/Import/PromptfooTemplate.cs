using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Glidepath.Evals.Import;

/// <summary>
/// The one renderer of promptfoo's nunjucks templates the import has: plain <c>{{ name }}</c> placeholders are filled from a
/// test's vars (after defaultTest merging), as promptfoo fills prompts and string assertion values; anything beyond that is
/// reported, never rendered by guess.
/// </summary>
internal static partial class PromptfooTemplate
{
    /// <summary>Renders <paramref name="template"/> with <paramref name="vars"/>; what it cannot fill is left as written and named.</summary>
    public static PromptfooRendering Render(string template, JsonObject vars)
    {
        if (!template.Contains("{{", StringComparison.Ordinal) && !template.Contains("{%", StringComparison.Ordinal))
        {
            return new PromptfooRendering(template, [], []);
        }

        var missing = new List<string>();
        var rendered = Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            if (vars[name] is { } value)
            {
                return value.ToString();
            }

            if (!missing.Contains(name))
            {
                missing.Add(name);
            }

            return m.Value;
        });

        // {{ tier | upper }}, {% if %}: nunjucks beyond a plain {{ name }} is not rendered. Looked for in the template (not in
        // what the vars put in), and not counting the plain placeholders handled above.
        var unsupported = Syntax().Matches(template).Select(m => m.Value)
            .Where(t => Placeholder().Match(t) is not { Success: true } p || p.Length != t.Length)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new PromptfooRendering(rendered, missing, unsupported);
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline)]
    private static partial Regex Syntax();
}
