using Glidepath.Errors;
using Glidepath.Models;

namespace Glidepath.Releases;

/// <summary>
/// The names the releases of one run define: the tools each declares and the template variables its system prompt uses
/// (the prompt is a release's one template). A dataset or a command line that names a tool or a variable none of them
/// has is a typo most often: a case expecting such a tool fails on every side for good, and such a variable is ignored.
/// </summary>
/// <remarks>
/// A gate scores two releases over one dataset, so a name counts as defined when either defines it: a candidate that
/// renames a tool (its dataset updated) must not stop the baseline's run, nor a baseline that still has the old name
/// the candidate's. A tool only one side has is a difference the gate measures (the side without it fails those cases).
/// </remarks>
public sealed class ReleaseNames
{
    private readonly IReadOnlyList<Side> _sides;

    private ReleaseNames(IReadOnlyList<Side> sides) => _sides = sides;

    /// <summary>The names of the release an eval run or <c>model try</c> scores.</summary>
    public static ReleaseNames Of(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return new([Side.Of(release)]);
    }

    /// <summary>The variables of one release's system prompt <paramref name="prompt"/> (no tools): for what an environment sets.</summary>
    internal static ReleaseNames OfPrompt(string prompt) => new([new Side([], PromptTemplate.Variables(prompt))]);

    /// <summary>The names of a gate's two releases; one release when both have the same content (it runs once).</summary>
    public static ReleaseNames Of(Release candidate, Release baseline)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        return candidate.Id == baseline.Id ? Of(candidate) : new([Side.Of(candidate), Side.Of(baseline)]);
    }

    /// <summary>Whether any of the releases declares the tool <paramref name="name"/>.</summary>
    public bool DefinesTool(string name) => _sides.Any(s => s.Tools.Contains(name, StringComparer.Ordinal));

    /// <summary>
    /// Why an expected call of the tool <paramref name="tool"/> cannot name the argument <paramref name="key"/>
    /// (<c>which the release's lookup_order does not declare (its arguments: order_id); did you mean 'order_id'?</c>), or null when a
    /// release's tool of that name declares it, leaves its arguments open (no <c>properties</c>, or
    /// <c>additionalProperties</c> other than false), or no release defines the tool (<see cref="UndefinedTool"/> says so).
    /// </summary>
    public string? UndeclaredArgument(string tool, string key)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(key);
        var declared = new List<string>();
        var defining = 0;
        foreach (var side in _sides)
        {
            if (side.Arguments.TryGetValue(tool, out var arguments))
            {
                if (arguments is null || arguments.Contains(key, StringComparer.Ordinal))
                {
                    return null;
                }

                defining++;
                declared.AddRange(arguments.Where(a => !declared.Contains(a, StringComparer.Ordinal)));
            }
        }

        if (defining == 0)
        {
            return null;
        }

        // A gate's two releases: "neither" only when both have the tool (one without it is a difference the gate measures).
        var which = _sides.Count == 1 ? $"which the release's {tool} does not declare"
            : defining == 1 ? (_sides[0].Arguments.ContainsKey(tool) ? $"which the candidate's {tool} does not declare, and the baseline has no {tool}" : $"which the baseline's {tool} does not declare, and the candidate has no {tool}")
            : $"which neither the candidate's nor the baseline's {tool} declares";
        var listed = declared.Count == 0 ? "it declares no argument" : "its arguments: " + string.Join(", ", declared);
        return $"{which} ({listed}){(ClosestName.Of(key, declared) is { } close ? $"; did you mean '{close}'?" : "")}";
    }

    /// <summary>Whether any of the releases' prompts uses the template variable <paramref name="name"/>.</summary>
    public bool UsesVariable(string name) => _sides.Any(s => s.Variables.Contains(name, StringComparer.Ordinal));

    /// <summary>
    /// The variables a release's prompt uses that neither <paramref name="caseVars"/> nor <paramref name="given"/> sets, in
    /// order of first use (either side's, in a gate: both releases ask every case). Empty when the prompt can be rendered.
    /// </summary>
    public IReadOnlyList<string> UnsetVariables(IReadOnlyDictionary<string, string> caseVars, IReadOnlyDictionary<string, string> given)
    {
        ArgumentNullException.ThrowIfNull(caseVars);
        ArgumentNullException.ThrowIfNull(given);
        List<string>? unset = null;
        foreach (var name in _sides.SelectMany(s => s.Variables))
        {
            if (!caseVars.ContainsKey(name) && !given.ContainsKey(name) && !(unset ??= []).Contains(name, StringComparer.Ordinal))
            {
                unset.Add(name);
            }
        }

        return unset ?? (IReadOnlyList<string>)[];
    }

    /// <summary>
    /// Why the tool <paramref name="name"/> cannot be expected (<c>which the release does not define (its tools: find_order);
    /// did you mean 'find_order'?</c>), or null when a release defines it.
    /// </summary>
    public string? UndefinedTool(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (DefinesTool(name))
        {
            return null;
        }

        var which = _sides.Count == 1 ? "which the release does not define" : "which neither the candidate nor the baseline defines";
        return $"{which} ({Listed(s => s.Tools, "tools", "its tools: ", "defines no tool")}){Suggestion(name, s => s.Tools)}";
    }

    /// <summary>
    /// Why the variable <paramref name="name"/> does nothing (<c>no template of the release uses it (it uses: member_level);
    /// did you mean 'member_level'?</c>), or null when a release's prompt uses it.
    /// </summary>
    public string? UnusedVariable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (UsesVariable(name))
        {
            return null;
        }

        var which = _sides.Count == 1 ? "no template of the release uses it" : "no template of the candidate or the baseline uses it";
        return $"{which} ({Listed(s => s.Variables, "variables", "it uses: ", "uses none")}){Suggestion(name, s => s.Variables)}";
    }

    /// <summary>
    /// Refuses <c>--var</c> names no template uses (exit 2, before any model call): the value would be ignored while the
    /// environment's, or none, was used, and the run would look like it tested what the command line said.
    /// </summary>
    public void CheckVarOptions(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var problems = names.Distinct(StringComparer.Ordinal).Select(n => UnusedVariable(n) is { } why ? $"--var {n}: {why}" : null).OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw new BadInputException(string.Join('\n', problems));
        }
    }

    // "its tools: a, b" for one release; "their tools: a, b" when both sides have the same; else each side's own.
    private string Listed(Func<Side, IReadOnlyList<string>> names, string what, string onePrefix, string oneNone)
    {
        if (_sides.Count == 1)
        {
            var own = names(_sides[0]);
            return own.Count == 0 ? "it " + oneNone : onePrefix + string.Join(", ", own);
        }

        var (c, b) = (names(_sides[0]), names(_sides[1]));
        if (c.SequenceEqual(b, StringComparer.Ordinal))
        {
            return c.Count == 0 ? $"neither has any {what}" : $"both {(what == "tools" ? "define" : "use")}: {string.Join(", ", c)}";
        }

        static string Text(IReadOnlyList<string> list) => list.Count == 0 ? "none" : string.Join(", ", list);
        return $"the candidate's {what}: {Text(c)}; the baseline's: {Text(b)}";
    }

    private string Suggestion(string name, Func<Side, IReadOnlyList<string>> names) =>
        ClosestName.Of(name, _sides.SelectMany(names).Distinct(StringComparer.Ordinal)) is { } close ? $"; did you mean '{close}'?" : "";

    /// <param name="Arguments">Each tool's declared argument names; null for a tool whose arguments are open (<see cref="ToolArgumentNames"/>).</param>
    private sealed record Side(IReadOnlyList<string> Tools, IReadOnlyList<string> Variables, IReadOnlyDictionary<string, IReadOnlyList<string>?> Arguments)
    {
        public Side(IReadOnlyList<string> tools, IReadOnlyList<string> variables)
            : this(tools, variables, new Dictionary<string, IReadOnlyList<string>?>())
        {
        }

        public static Side Of(Release release)
        {
            var snapshot = release.Snapshot();
            var arguments = new Dictionary<string, IReadOnlyList<string>?>(StringComparer.Ordinal);
            foreach (var t in snapshot.Tools)
            {
                arguments.TryAdd(t.Name, ToolArgumentNames.Of(t.InputSchema));
            }

            return new([.. snapshot.Tools.Select(t => t.Name)], PromptTemplate.Variables(snapshot.SystemPrompt), arguments);
        }
    }
}
