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
        foreach (var (token, value, option) in OptionsBeforeTheirCommand(parse))
        {
            // "--env staging rollout status": the option is rollout status's own, not a global one; its value and the
            // "required" error are the same mistake, and a suggestion would name the very word typed.
            messages.RemoveAll(m => m == $"{Unrecognized}{value}'" || m == $"Option '{option.Name}' is required");
            var i = messages.FindIndex(m => m == $"{Unrecognized}{token}'");
            var path = string.Join(' ', CommandNames(parse.CommandResult));
            var message = $"'{option.Name}' is an option of '{path}', not a global one: put it after the command (glidepath {path} {token}{(value is null ? "" : " " + value)})";
            messages[i < 0 ? 0 : i] = message;
        }

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

    /// <summary>
    /// Tokens before the command word that name an option of the command run (<c>--env staging rollout status</c>):
    /// the parser takes them, and their value, as unmatched words. Only global options may come before the command.
    /// </summary>
    private static IEnumerable<(string Token, string? Value, System.CommandLine.Option Option)> OptionsBeforeTheirCommand(ParseResult parse)
    {
        var unmatched = parse.UnmatchedTokens;
        var options = OptionsOf(parse.CommandResult).ToList();
        for (var i = 0; i < unmatched.Count; i++)
        {
            var token = unmatched[i];
            var name = token.Split('=', 2)[0];
            if (!token.StartsWith('-') || options.Find(o => o.Name == name || o.Aliases.Contains(name)) is not { } option)
            {
                continue;
            }

            var takesValue = option.Arity.MaximumNumberOfValues > 0 && name.Length == token.Length && option.ValueType != typeof(bool);
            var value = takesValue && i + 1 < unmatched.Count && !unmatched[i + 1].StartsWith('-') ? unmatched[++i] : null;
            yield return (token, value, option);
        }
    }

    private static IEnumerable<string> CommandNames(System.CommandLine.Parsing.CommandResult? result)
    {
        var names = new List<string>();
        for (; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return names;
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
            if (names.Any(n => n.Alias == token.Split('=', 2)[0]))
            {
                continue; // an option of this command placed before it: OptionsBeforeTheirCommand says so
            }

            var best = names
                .Select(n => (n.Name, Distance: Errors.ClosestName.Distance(token, n.Alias)))
                .Where(c => c.Distance > 0 && c.Distance <= Errors.ClosestName.MaxDistance(token)) // never the very word typed
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
}
