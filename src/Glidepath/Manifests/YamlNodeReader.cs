using System.Globalization;
using Glidepath.Errors;
using Glidepath.Files;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>Typed reads from YAML nodes that collect every error (file:line:col) instead of stopping at the first.</summary>
internal sealed partial class YamlNodeReader(string fileName)
{
    private readonly List<ManifestError> _errors = [];

    public IReadOnlyList<ManifestError> Errors => _errors;

    public string FileName { get; } = fileName;

    public void Error(YamlNode? node, string message) =>
        _errors.Add(new ManifestError(FileName, (int)(node?.Start.Line ?? 1), (int)(node?.Start.Column ?? 1), message));

    public void Error(Mark mark, string message) =>
        _errors.Add(new ManifestError(FileName, (int)mark.Line, (int)mark.Column, message));

    public void Add(ManifestError error) => _errors.Add(error);

    public YamlMappingNode? Mapping(YamlNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlMappingNode m)
        {
            return m;
        }

        Error(node, $"{what} must be a mapping; expected 'key: value' entries");
        return null;
    }

    /// <summary>Reports keys that are not in <paramref name="known"/> and keys that are not plain strings.</summary>
    /// <param name="hint">What to add to the error for an unknown key (null for nothing): why a likely key is not one.</param>
    public void CheckKeys(YamlMappingNode map, string section, IReadOnlyCollection<string> known, Func<string, string?>? hint = null)
    {
        foreach (var key in map.Children.Keys)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                Error(key, $"a key in {section} is a {Describe(key)}; expected one of: {string.Join(", ", known)}");
            }
            else if (!known.Contains(name))
            {
                Error(key, $"unknown key '{name}' in {section}; expected one of: {string.Join(", ", known)}{hint?.Invoke(name) ?? ClosestName.Suggestion(name, known)}");
            }
        }
    }

    /// <summary>
    /// The entries of a mapping whose keys are plain scalars; a key that is a mapping or a list is reported
    /// (unless <paramref name="reportOthers"/> is false because <see cref="CheckKeys"/> already did) and skipped.
    /// </summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode map, string section, bool reportOthers = true)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode s)
            {
                yield return (s.Value ?? "", v);
            }
            else if (reportOthers)
            {
                Error(k, $"a key in {section} is a {Describe(k)}; expected a plain name");
            }
        }
    }

    public static YamlNode? Get(YamlMappingNode? map, string key)
    {
        if (map is null)
        {
            return null;
        }

        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    public static bool IsNull(YamlNode? node) =>
        node is null || (node is YamlScalarNode { Style: ScalarStyle.Plain } s && (s.Value is null or "" or "~" or "null"));

    public string? String(YamlNode? node, string what, bool required = false, YamlNode? parent = null)
    {
        if (IsNull(node))
        {
            if (required)
            {
                Error(node ?? parent, $"missing {what}; expected a string");
            }

            return null;
        }

        if (node is YamlScalarNode s)
        {
            return s.Value;
        }

        Error(node, $"{what} is a {Describe(node!)}; expected a string");
        return null;
    }

    /// <summary>
    /// True when <paramref name="path"/> names a file of <paramref name="files"/>; otherwise reports at <paramref name="node"/>
    /// that the <paramref name="what"/> "does not exist" or "is a folder", then what was <paramref name="expected"/>.
    /// </summary>
    public bool RequireFile(YamlNode? node, IFileSource files, string path, string what, string expected)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Exists(path))
        {
            return true;
        }

        Error(node, $"{what} '{path}' {(LeavesTheFolder(path) ? "is outside the app folder (only files inside it are read)" : files.IsFolder(path) ? "is a folder" : "does not exist")}; {expected}");
        return false;
    }

    /// <summary>True when a path relative to the manifest is absolute or climbs above the manifest's folder with <c>..</c>.</summary>
    private static bool LeavesTheFolder(string path)
    {
        if (Path.IsPathRooted(path))
        {
            return true;
        }

        var depth = 0;
        foreach (var segment in path.Split('/', '\\'))
        {
            depth += segment switch { ".." => -1, "" or "." => 0, _ => 1 };
            if (depth < 0)
            {
                return true;
            }
        }

        return false;
    }

    public double? Double(YamlNode? node, string what, double min = double.MinValue, double max = double.MaxValue)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (Quoted(node, what, "a number"))
        {
            return null;
        }

        if (node is YamlScalarNode s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            if (d < min || d > max)
            {
                Error(node, $"{what} is {s.Value}; expected {Range("a number", min, max, double.MinValue, double.MaxValue)}");
                return null;
            }

            return d;
        }

        Error(node, $"{what} is {Found(node)}; expected a number");
        return null;
    }

    public int? Int(YamlNode? node, string what, int min = int.MinValue, int max = int.MaxValue)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (Quoted(node, what, "an integer"))
        {
            return null;
        }

        if (node is YamlScalarNode s && int.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            if (i < min || i > max)
            {
                Error(node, $"{what} is {i}; expected {Range("an integer", min, max, int.MinValue, int.MaxValue)}");
                return null;
            }

            return i;
        }

        Error(node, $"{what} is {Found(node)}; expected an integer");
        return null;
    }

    /// <summary>
    /// A plain <c>true</c> or <c>false</c>, or null when absent; anything else (<c>yes</c>, <c>1</c>, a quoted
    /// <c>"true"</c>, which YAML reads as a string) is reported at the node.
    /// </summary>
    public bool? Bool(YamlNode? node, string what)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } s)
        {
            return s.Value == "true";
        }

        Error(node, $"{what} is {Found(node)}; expected true or false");
        return null;
    }

    public long? Long(YamlNode? node, string what)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (Quoted(node, what, "an integer"))
        {
            return null;
        }

        if (node is YamlScalarNode s && long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }

        Error(node, $"{what} is {Found(node)}; expected an integer");
        return null;
    }

    /// <summary>
    /// The one rule for numbers, as for booleans: a number is written plain. A quoted <c>"3"</c> or <c>"0.9"</c> is a string
    /// in YAML, and a scorer reading its options as JSON would see a string; every number key refuses it alike, at its line.
    /// </summary>
    private bool Quoted(YamlNode? node, string what, string expected)
    {
        if (node is YamlScalarNode { Style: not ScalarStyle.Plain } s)
        {
            Error(node, $"{what} is '{s.Value}' (quoted); expected {expected}, written without quotes (YAML reads a quoted value as a string)");
            return true;
        }

        return false;
    }

    /// <summary>A duration above zero (500ms, 30s, 30m, 1h, 7d), or null when absent; anything else, zero included, is reported at the node.</summary>
    public TimeSpan? Duration(YamlNode? node, string what)
    {
        var text = String(node, what);
        if (text is null)
        {
            return null;
        }

        if (!DurationParser.TryParse(text, out var span))
        {
            Error(node, $"{what} '{text}' is not a duration; expected a number with a unit up to {DurationParser.MaxDays} days, e.g. 500ms, 30s, 30m, 1h");
            return null;
        }

        if (span <= TimeSpan.Zero)
        {
            // Every duration in the manifest is a limit (a step's length, a provider call's timeout): zero would end
            // each one before it began.
            Error(node, $"{what} '{text}' is zero; expected a duration above zero, e.g. 30m");
            return null;
        }

        return span;
    }

    public IReadOnlyList<string> StringList(YamlNode? node, string what)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is YamlSequenceNode seq)
        {
            var list = new List<string>();
            foreach (var item in seq.Children)
            {
                var value = String(item, $"an item of {what}");
                if (value is not null)
                {
                    list.Add(value);
                }
            }

            return list;
        }

        Error(node, $"{what} must be a list; expected [a, b] or '- item' lines");
        return [];
    }

    internal static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "scalar",
    };

    internal static string Found(YamlNode? node) => node is YamlScalarNode s ? $"'{s.Value}'" : $"a {Describe(node!)}";

    private static string Fmt(double d) => d.ToString(CultureInfo.InvariantCulture);

    // "a number from 0 to 1", or with an open end "a number of at least 0" (not "from 0 to 1.7976931348623157E+308").
    private static string Range(string kind, double min, double max, double lowest, double highest) =>
        (min <= lowest, max >= highest) switch
        {
            (true, true) => kind,
            (true, false) => $"{kind} of at most {Fmt(max)}",
            (false, true) => $"{kind} of at least {Fmt(min)}",
            _ => $"{kind} from {Fmt(min)} to {Fmt(max)}",
        };
}
