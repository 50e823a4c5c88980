using System.Text;
using System.Text.RegularExpressions;
using Glidepath.Gateway.Wire;

namespace Glidepath.Gateway.Forwarding;

/// <summary>Fills <c>{{var}}</c> placeholders of a release's system prompt; a variable nobody set is the caller's 400.</summary>
internal static partial class PromptRenderer
{
    public static string Render(string template, IReadOnlyDictionary<string, string> vars, string source)
    {
        if (!template.Contains("{{", StringComparison.Ordinal))
        {
            return template;
        }

        var sb = new StringBuilder(template.Length + 64);
        var last = 0;
        foreach (Match m in Placeholder().Matches(template))
        {
            var name = m.Groups[1].Value;
            if (!vars.TryGetValue(name, out var value))
            {
                throw WireException.BadRequest(
                    $"the system prompt ({source}) needs template variable '{name}'; set it in the environment's vars or send header Glidepath-Var-{name}");
            }

            sb.Append(template, last, m.Index - last).Append(value);
            last = m.Index + m.Length;
        }

        return sb.Append(template, last, template.Length - last).ToString();
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
