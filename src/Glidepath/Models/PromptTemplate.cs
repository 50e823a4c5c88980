using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using Glidepath.Errors;

namespace Glidepath.Models;

/// <summary>
/// Renders <c>{{var}}</c> placeholders in a prompt template. Whitespace inside the braces is allowed
/// (<c>{{ customer_tier }}</c>); a placeholder whose variable is not given is an error naming it.
/// </summary>
public static partial class PromptTemplate
{
    /// <summary>The distinct variable names a template uses, in order of first use.</summary>
    public static IReadOnlyList<string> Variables(string template)
    {
        var names = new List<string>();
        foreach (Match m in Placeholder().Matches(template))
        {
            var name = m.Groups[1].Value;
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>Replaces every placeholder; throws <see cref="BadInputException"/> naming the missing variable(s).</summary>
    /// <param name="source">Where the template came from (a file path), for the error message.</param>
    public static string Render(string template, IReadOnlyDictionary<string, string> vars, string source = "prompt") =>
        TryRender(template, vars, source, out var rendered, out var error) ? rendered : throw new BadInputException(error);

    /// <summary>
    /// Replaces every placeholder, or returns false with <paramref name="error"/> naming the missing variable(s)
    /// (a request that leaves a variable unset is the caller's to fix, not an exception on a hot path).
    /// </summary>
    public static bool TryRender(string template, IReadOnlyDictionary<string, string> vars, string source,
        [NotNullWhen(true)] out string? rendered, [NotNullWhen(false)] out string? error)
    {
        var missing = Variables(template).Where(v => !vars.ContainsKey(v)).ToList();
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing.Select(m => "'" + m + "'"));
            error = $"{source}: template variable {list} {(missing.Count == 1 ? "is" : "are")} not set; " +
                $"give {(missing.Count == 1 ? "it" : "them")} in the environment's vars, or per call: in an eval, a dataset case's input.vars or --var NAME=VALUE; through the gateway, a Glidepath-Var-* header the environment's request_vars opens";
            rendered = null;
            return false;
        }

        var sb = new StringBuilder(template.Length + 64);
        var last = 0;
        foreach (Match m in Placeholder().Matches(template))
        {
            sb.Append(template, last, m.Index - last).Append(vars[m.Groups[1].Value]);
            last = m.Index + m.Length;
        }

        rendered = sb.Append(template, last, template.Length - last).ToString();
        error = null;
        return true;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
