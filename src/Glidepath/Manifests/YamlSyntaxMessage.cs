using YamlDotNet.Core;

namespace Glidepath.Manifests;

/// <summary>
/// Words a YAML parser's failure as what to fix (<c>what is wrong; expected …</c>) instead of the parser's own terms
/// ("While scanning a plain scalar value, found invalid mapping"), and places it where the fix is when the parser's
/// position is a line late: it stops on the line after a key that lacks its ':', and on the line after a key whose
/// indentation is off when that line is the first one it cannot read, so such messages name both lines.
/// </summary>
internal static class YamlSyntaxMessage
{
    private const string Expected = "; expected valid YAML";

    /// <summary>Where to point and what to say for <paramref name="ex"/>, thrown while loading <paramref name="yaml"/>.</summary>
    /// <param name="lastGood">Where the parser last succeeded, for a failure without a position.</param>
    public static (Mark Where, string Message) Describe(YamlException ex, string yaml, Mark lastGood)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var raw = ((ex.InnerException as YamlException) ?? ex).Message.Trim().TrimEnd('.');
        var at = ex.Start.Line > 0 ? ex.Start : lastGood;
        var lines = yaml.Split('\n');
        var line = at.Line >= 1 && at.Line <= lines.Length ? lines[(int)at.Line - 1].TrimEnd('\r') : "";
        var indent = Indent(line);

        if (raw.Contains(" tab", StringComparison.Ordinal))
        {
            // The scanner reports a tab in a line's indentation where the enclosing mapping began (1:1 for a
            // top-level key on line 63), or at the end of the line before: name the line that has the tab.
            return FirstTabIndent(lines, at.Line) is { } tab
                ? (tab, "a tab in the indentation: YAML does not allow tabs for indentation; expected spaces (set the editor to indent .yaml files with spaces)")
                : (at, "a tab here breaks the indentation: YAML does not allow tabs for indentation; expected spaces");
        }

        if (raw.Contains("found invalid mapping", StringComparison.Ordinal))
        {
            return InvalidMapping(lines, at, line);
        }

        if (raw.Contains("did not find expected key", StringComparison.Ordinal))
        {
            if (line.TrimStart(' ').StartsWith('-'))
            {
                return (at, "a list item ('- …') where a key was expected; expected 'key: value' at this indentation, or the item indented under a key that ends with ':'");
            }

            if (at.Column > indent + 1)
            {
                return (at, "more text after this line's value (a quoted value followed by more words?); expected one value per key: quote the whole value");
            }

            if (PreviousContentLine(lines, at.Line) is { } previous && Indent(previous.Text) < indent)
            {
                // The line before holds a key and its value (a comment after it ended the value), and this line is deeper.
                return (at, Deeper(KeyOf(line), previous, "so YAML cannot place it"));
            }

            return (at, $"this line is indented {Spaces(indent)}, which lines it up with no key above it{Sibling(lines, at.Line, indent)}; " +
                "expected every key of a mapping at the same indentation (a key is indented differently from the keys above it)");
        }

        if (raw.Contains("did not find expected '-' indicator", StringComparison.Ordinal))
        {
            return (at, "a line inside a list that is not a '- ' item; expected '- item' here, or this line indented less (back to the level of the key that holds the list)");
        }

        if (raw.Contains("cannot start any token", StringComparison.Ordinal) && at.Column >= 1 && at.Column <= line.Length)
        {
            var c = line[(int)at.Column - 1];
            return (at, $"a value cannot start with '{c}' unquoted; expected it in quotes (\"{c}…\")");
        }

        if (raw.StartsWith("Duplicate key ", StringComparison.Ordinal))
        {
            return (at, $"key '{raw["Duplicate key ".Length..]}' appears twice in the same mapping; expected each key once");
        }

        if (ex is AnchorNotFoundException)
        {
            return (at, $"an alias (*name) that refers to no anchor (&name) defined before it ({raw}); expected the anchor above its use, or the value quoted");
        }

        if (raw.Contains("quoted scalar", StringComparison.Ordinal))
        {
            return (at, "a quoted value is still open here (its closing quote is missing?); expected the quote closed on the line it opens, or the value's lines indented deeper than its key");
        }

        return (at, raw + Expected);
    }

    // "'kb:' … line 4 …": the parser read this line as more of the plain value that began before it (the key on the line
    // before lacks its ':', or one of the two lines is indented differently from its neighbours), or found ': ' in a value.
    private static (Mark, string) InvalidMapping(string[] lines, Mark at, string line)
    {
        var before = at.Column >= 1 && at.Column - 1 <= line.Length ? line[..(int)(at.Column - 1)].Trim() : "";
        if (before.Contains(": ", StringComparison.Ordinal) || (before.StartsWith("- ", StringComparison.Ordinal) && before.Contains(':', StringComparison.Ordinal)))
        {
            return (at, "a value that holds ': ' must be quoted; expected e.g. key: \"a: b\"");
        }

        var previous = PreviousContentLine(lines, at.Line);
        if (previous is null)
        {
            return (at, "a key where a value was expected; expected one key per line, or the value in quotes");
        }

        var (number, text) = previous.Value;
        var shown = Shown(text);
        if (!shown.Contains(':', StringComparison.Ordinal))
        {
            // "requires [staging]": the key has no ':', and the parser only notices on the next key. Point at the cause.
            var cause = new Mark(0, number, Indent(text) + 1);
            return (cause, $"'{shown}' has no ':', so YAML reads it and line {at.Line} as one value; expected 'key: value' (a ':' after the key)");
        }

        return (at, Deeper(before.Length > 0 ? before : KeyOf(line), previous.Value, "so YAML reads it as more of that line's value"));
    }

    // Either this line is indented too far, or the line before is out of line (a key dedented by mistake): name both.
    private static string Deeper(string? key, (long Number, string Text) previous, string consequence) =>
        $"{(key is null ? "this line" : $"'{key}:'")} is indented deeper than the line before it (line {previous.Number}: '{Shown(previous.Text)}'), {consequence}; " +
        $"expected the keys of one mapping at the same indentation: check this line and line {previous.Number} (one of them is indented differently " +
        "from the keys around it)";

    /// <summary>The key a line starts with (<c>vars</c> for <c>    vars: {…}</c>), or null.</summary>
    private static string? KeyOf(string line)
    {
        var text = line.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon <= 40 && !text.StartsWith('-') && !text.StartsWith('#') ? text[..colon].Trim() : null;
    }

    /// <summary>A line as shown in a message: without its indentation or a trailing comment, at most 40 characters.</summary>
    private static string Shown(string line)
    {
        var text = line.Trim();
        var comment = text.IndexOf(" #", StringComparison.Ordinal);
        text = comment > 0 ? text[..comment].TrimEnd() : text;
        return text.Length <= 40 ? text : text[..37] + "...";
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    /// <summary>The nearest line before <paramref name="line"/> (1-based) that holds more than spaces or a comment.</summary>
    private static (long Number, string Text)? PreviousContentLine(string[] lines, long line)
    {
        for (var i = (int)line - 2; i >= 0; i--)
        {
            var text = lines[i].TrimEnd('\r');
            var content = text.Trim();
            if (content.Length > 0 && !content.StartsWith('#'))
            {
                return (i + 1, text);
            }
        }

        return null;
    }

    // " (line 3, the line before, is indented 4)": the neighbour whose indentation the line most likely meant.
    private static string Sibling(string[] lines, long line, int indent)
    {
        if (PreviousContentLine(lines, line) is not { } previous)
        {
            return "";
        }

        var theirs = Indent(previous.Text);
        return theirs == indent ? "" : $" (line {previous.Number}, the line before, is indented {Spaces(theirs)})";
    }

    private static string Spaces(int n) => n == 1 ? "1 space" : $"{n} spaces";

    /// <summary>Where the first tab in a line's leading whitespace is, from line <paramref name="fromLine"/> on (YAML indents with spaces only), or null.</summary>
    private static Mark? FirstTabIndent(string[] lines, long fromLine)
    {
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].AsSpan();
            var text = indent.TrimStart(" \t");
            var tab = indent[..(indent.Length - text.Length)].IndexOf('\t');
            if (tab >= 0 && text.TrimEnd('\r').Length > 0 && i + 1 >= fromLine)
            {
                return new Mark(start + tab, i + 1, tab + 1);
            }

            start += lines[i].Length + 1;
        }

        return null;
    }
}
