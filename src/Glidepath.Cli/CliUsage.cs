using System.CommandLine;

namespace Glidepath.Cli;

/// <summary>Bad usage (an unknown command or option, a missing argument): its message, and a suggestion for a mistyped name.</summary>
internal static partial class CliUsage
{
    private const string Unrecognized = "Unrecognized command or argument '";

    /// <summary>
    /// The parse errors, one per line, the one about a token a few typos away from a subcommand of the command it
    /// follows ending with "(did you mean 'release'?)".
    /// </summary>
    public static IReadOnlyList<string> Messages(ParseResult parse)
    {
        var messages = OptionsTakenAsArguments(parse).Select(t => $"unknown option '{t}'")
            .Concat(parse.Errors.Select(e => Readable(e.Message.TrimEnd('.'))))
            .ToList();
        var suggestion = Suggestion(parse);
        if (suggestion is { Token: var word } && !word.StartsWith('-'))
        {
            // "relase create": the mistyped command is the problem; "Required command was not provided" only repeats it.
            messages.RemoveAll(m => m.StartsWith("Required command was not provided", StringComparison.Ordinal));

            // The words after a mistyped command are its own ("relase create"): 'create' is not a second mistake. Errors
            // are one line.
            messages.RemoveAll(m => m.StartsWith(Unrecognized, StringComparison.Ordinal) && !m.Contains($"'{word}'", StringComparison.Ordinal));
        }

        if (suggestion is { } s)
        {
            var i = messages.FindIndex(m => m.Contains($"'{s.Token}'", StringComparison.Ordinal));
            i = i < 0 ? 0 : i;
            messages[i] += $" (did you mean '{s.Name}'?)";
        }

        return messages;
    }

    /// <summary>
    /// Tokens that look like options (<c>--bogus</c>, <c>-x</c>) but were taken as a command's argument because no option
    /// has that name: "'--bogus' is not a release ref" would name the wrong problem. Negative numbers are arguments.
    /// </summary>
    public static IReadOnlyList<string> OptionsTakenAsArguments(ParseResult parse)
    {
        var found = new List<string>();
        for (var command = parse.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var argument in command.Children.OfType<System.CommandLine.Parsing.ArgumentResult>())
            {
                found.AddRange(argument.Tokens.Select(t => t.Value).Where(v => v.Length > 1 && v[0] == '-' && !double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)));
            }
        }

        return found;
    }

    // System.CommandLine names .NET types ("as expected type 'System.Nullable`1[System.Int32]'"): say what to type instead.
    private static string Readable(string message) => TypeName().Replace(message, m => m.Groups[1].Value switch
    {
        "Int32" => "as a whole number (at most 2147483647)",
        "Int64" => "as a whole number",
        "Double" or "Decimal" or "Single" => "as a number",
        "Boolean" => "as true or false",
        _ => m.Value,
    });

    [System.Text.RegularExpressions.GeneratedRegex(@"as expected type 'System\.(?:Nullable`1\[System\.)?(\w+)\]?'")]
    private static partial System.Text.RegularExpressions.Regex TypeName();

    private static (string Token, string Name)? Suggestion(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        foreach (var token in parse.UnmatchedTokens.Concat(OptionsTakenAsArguments(parse)))
        {
            // A mistyped option ("--formt") is matched against the options this command takes, its ancestors' global ones
            // included; a mistyped word against its subcommands.
            var names = token.StartsWith('-')
                ? OptionsOf(parse.CommandResult).SelectMany(o => o.Aliases.Prepend(o.Name).Select(name => (o.Name, Alias: name)))
                : command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name).Select(name => (c.Name, Alias: name)));
            var best = names
                .Select(n => (n.Name, Distance: Distance(token, n.Alias)))
                .Where(c => c.Distance <= Math.Max(1, Math.Min(2, token.TrimStart('-').Length / 3)))
                .OrderBy(c => c.Distance)
                .ThenBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => c.Name)
                .FirstOrDefault();
            if (best is not null)
            {
                return (token, best);
            }
        }

        return null;
    }

    private static IEnumerable<System.CommandLine.Option> OptionsOf(System.CommandLine.Parsing.CommandResult result)
    {
        var own = result.Command.Options.Where(o => !o.Hidden);
        return result.Parent is System.CommandLine.Parsing.CommandResult parent
            ? own.Concat(OptionsOf(parent).Where(o => o.Recursive))
            : own;
    }

    /// <summary>Edit distance with transpositions (optimal string alignment): "relase" is one from "release".</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
