using System.CommandLine;
using System.Runtime.CompilerServices;

namespace Glidepath.Cli;

/// <summary>
/// Global options a command has no use for (<c>init</c> opens no manifest, store or server): given, they are bad usage
/// (exit 2) naming the option, and the command's help does not list them. Until 2026-12-07 <c>init --manifest X</c>
/// wrote DIR/glidepath.yaml and ignored X without a word, and <c>init --help</c> listed all four (newcomer trial L3).
/// </summary>
internal static class UnusedGlobalOptions
{
    private static readonly ConditionalWeakTable<Command, IReadOnlyList<Option>> Refused = [];

    /// <summary>
    /// Makes each of <paramref name="refusals"/> bad usage on <paramref name="command"/>, with its own reason, and leaves
    /// it out of the command's help.
    /// </summary>
    public static void Refuse(Command command, params (Option Option, string Why)[] refusals)
    {
        Refused.AddOrUpdate(command, [.. refusals.Select(r => r.Option)]);
        command.Validators.Add(result =>
        {
            foreach (var (option, why) in refusals)
            {
                if (result.GetResult(option) is { Implicit: false })
                {
                    result.AddError($"'{command.Name}' does not use {option.Name}: {why}");
                }
            }
        });
    }

    /// <summary>
    /// <paramref name="help"/>, the help written for <paramref name="command"/>, without the rows of the options
    /// <see cref="Refuse"/> refused on it (System.CommandLine lists a recursive option under every command, and its help
    /// layout cannot be changed from outside): each such row, with the lines its description wraps onto.
    /// </summary>
    public static string LeaveOutOfHelp(Command command, string help)
    {
        if (!Refused.TryGetValue(command, out var refused))
        {
            return help;
        }

        var names = refused.SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
        var kept = new List<string>();
        var (inOptions, dropping) = (false, false);
        foreach (var line in help.Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                dropping = false;
            }
            else if (!line.StartsWith(' '))
            {
                // A section's heading: "Options:", "Commands:", …
                (inOptions, dropping) = (line.TrimEnd() == "Options:", false);
            }
            else if (inOptions && line.StartsWith("  -", StringComparison.Ordinal))
            {
                dropping = names.Contains(line.TrimStart().Split(' ', ',')[0]);
            }

            if (!dropping)
            {
                kept.Add(line);
            }
        }

        return string.Join('\n', kept);
    }
}
