using System.Text.RegularExpressions;

namespace Glidepath.Providers.Sim;

/// <summary>
/// Splits a rendered system prompt into the lines the sim answers from: the bullet items when the prompt
/// has a list, every sentence-bearing line otherwise. A short "Label:" prefix names the line's topic.
/// </summary>
internal static partial class SimPrompt
{
    private static readonly string[] StyleLabels = ["tone", "style", "voice", "format", "formatting", "persona"];

    public static List<SimPolicyLine> Lines(string systemPrompt)
    {
        var raw = systemPrompt.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var bullets = raw.Where(l => Bullet().IsMatch(l)).ToList();
        var source = bullets.Count >= 2 ? bullets : raw.Where(l => !l.EndsWith(':')).ToList();
        var lines = new List<SimPolicyLine>();
        foreach (var line in source)
        {
            var text = Bullet().Replace(line, "").Trim();
            string? label = null;
            var body = text;
            var m = LabelPrefix().Match(text);
            if (m.Success)
            {
                label = m.Groups[1].Value.Trim();
                body = text[m.Length..].Trim();
            }

            if (body.Length == 0)
            {
                continue;
            }

            // The label names the topic: it counts double when matching.
            var tokens = SimText.Tokens(body);
            if (label is not null)
            {
                var labelTokens = SimText.Tokens(label);
                tokens.AddRange(labelTokens);
                tokens.AddRange(labelTokens);
            }

            var isStyle = label is not null && StyleLabels.Contains(label.ToLowerInvariant());
            lines.Add(new SimPolicyLine(lines.Count, label, body, tokens) { IsStyle = isStyle });
        }

        return lines;
    }

    /// <summary>The prompt's "You are …" sentence, which answers "who/what are you" questions.</summary>
    public static string? Identity(string systemPrompt)
    {
        foreach (var line in systemPrompt.Split('\n'))
        {
            var m = IdentityLine().Match(line.Trim());
            if (m.Success)
            {
                return m.Groups[1].Value.Trim();
            }
        }

        return null;
    }

    [GeneratedRegex(@"^You are ((?:an?|the) [^.]+)\.?", RegexOptions.IgnoreCase)]
    private static partial Regex IdentityLine();

    [GeneratedRegex(@"^(?:[-*•]|\d+[.)])\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9 '/&-]{0,40}):\s+")]
    private static partial Regex LabelPrefix();
}
