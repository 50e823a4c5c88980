using System.Globalization;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Environments;

/// <summary>
/// The parity check: staging should mirror production (same model, same tools, same settings) apart from
/// the endpoints, keys and vars declared to differ. Pure.
/// </summary>
public static class EnvironmentParity
{
    public static ParityReport Compare(Manifest manifest, EnvironmentSpec a, EnvironmentSpec b, Release? stableA, Release? stableB)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var differences = new List<ParityDifference>();
        var expected = new List<ParityDifference>();
        CompareProviders(manifest, a, b, differences, expected);
        CompareVars(a, b, differences, expected);

        var requiresA = string.Join(", ", a.Requires.Order(StringComparer.Ordinal));
        var requiresB = string.Join(", ", b.Requires.Order(StringComparer.Ordinal));
        if (requiresA != requiresB)
        {
            differences.Add(new ParityDifference("promotion_path", "requires", Blank(requiresA), Blank(requiresB)));
        }

        if (a.Owner != b.Owner)
        {
            differences.Add(new ParityDifference("promotion_path", "owner", a.Owner, b.Owner));
        }

        bool? sameRelease = null;
        bool? sameModel = null;
        if (stableA is null || stableB is null)
        {
            if (stableA is not null || stableB is not null)
            {
                differences.Add(new ParityDifference("release", "stable", stableA?.Label, stableB?.Label));
            }
        }
        else
        {
            sameRelease = stableA.Id == stableB.Id;
            var snapA = stableA.Snapshot();
            var snapB = stableB.Snapshot();
            sameModel = snapA.Model.Provider == snapB.Model.Provider && snapA.Model.Name == snapB.Model.Name;
            if (sameRelease == false)
            {
                differences.Add(new ParityDifference("release", "stable", stableA.Label, stableB.Label));
                foreach (var change in ReleaseDiff.Compute(snapA, snapB))
                {
                    // Model changes carry scalar values; content changes name each side's content by its sha256 prefix (as
                    // 'release show' lists files), and 'glidepath release diff' shows the lines.
                    differences.Add(change.Kind is "model" or "parameter" or "option"
                        ? new ParityDifference("model", $"{change.Kind} {change.Name}", change.Before, change.After)
                        : new ParityDifference("release", $"{change.Kind.Replace('_', ' ')} {change.Name}", Side(change, snapA, true), Side(change, snapB, false)));
                }
            }
        }

        return new ParityReport { A = a.Name, B = b.Name, Differences = differences, Expected = expected, SameRelease = sameRelease, SameModel = sameModel };
    }

    private static void CompareProviders(Manifest manifest, EnvironmentSpec a, EnvironmentSpec b, List<ParityDifference> differences, List<ParityDifference> expected)
    {
        var names = manifest.Providers.Keys.Concat(a.Providers.Keys).Concat(b.Providers.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var pa = Effective(manifest, a, name);
            var pb = Effective(manifest, b, name);
            if (pa is null || pb is null)
            {
                differences.Add(new ParityDifference("provider", name, pa is null ? null : "configured", pb is null ? null : "configured"));
                continue;
            }

            Add(expected, name + ".base_url", pa.BaseUrl, pb.BaseUrl);
            Add(expected, name + ".api_key_env", pa.ApiKeyEnv, pb.ApiKeyEnv);
            Add(differences, name + ".timeout", pa.Timeout?.ToString("c", CultureInfo.InvariantCulture), pb.Timeout?.ToString("c", CultureInfo.InvariantCulture));
            Add(differences, name + ".max_retries", pa.MaxRetries?.ToString(CultureInfo.InvariantCulture), pb.MaxRetries?.ToString(CultureInfo.InvariantCulture));
            Add(differences, name + ".max_concurrency", pa.MaxConcurrency?.ToString(CultureInfo.InvariantCulture), pb.MaxConcurrency?.ToString(CultureInfo.InvariantCulture));
        }

        static void Add(List<ParityDifference> list, string key, string? x, string? y)
        {
            if (x != y)
            {
                list.Add(new ParityDifference("provider", key, x, y));
            }
        }
    }

    private static void CompareVars(EnvironmentSpec a, EnvironmentSpec b, List<ParityDifference> differences, List<ParityDifference> expected)
    {
        foreach (var key in a.Vars.Keys.Concat(b.Vars.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var hasA = a.Vars.TryGetValue(key, out var va);
            var hasB = b.Vars.TryGetValue(key, out var vb);
            if (hasA != hasB)
            {
                differences.Add(new ParityDifference("vars", key, va, vb));
            }
            else if (va != vb)
            {
                expected.Add(new ParityDifference("vars", key, va, vb));
            }
        }
    }

    /// <summary>The app-level provider settings with the environment's override laid over them.</summary>
    private static ProviderSettings? Effective(Manifest manifest, EnvironmentSpec env, string name)
    {
        manifest.Providers.TryGetValue(name, out var top);
        env.Providers.TryGetValue(name, out var over);
        return top is null ? over : top.Merge(over);
    }

    private static string? Blank(string value) => value.Length == 0 ? null : value;

    /// <summary>
    /// One side's cell of a content change: "present" or null for an added or removed tool or file, else the content's
    /// sha256 prefix (<c>sha256:3f9c2a1b0c4d</c>, the prompt's path first when the two prompts are different files).
    /// </summary>
    private static string? Side(ReleaseChange change, ReleaseSnapshot snap, bool before) => change.Kind switch
    {
        "tool_added" or "file_added" => before ? null : "present",
        "tool_removed" or "file_removed" => before ? "present" : null,
        "prompt" => change.Before == change.After ? Hash(snap.Files, snap.SystemPromptPath) : $"{snap.SystemPromptPath} {Hash(snap.Files, snap.SystemPromptPath)}",
        "tool_changed" => Hash(snap.Files, ToolFile(snap, change.Name)),
        _ => Hash(snap.Files, change.Name),
    };

    private static string? ToolFile(ReleaseSnapshot snap, string tool)
    {
        // Tools are read from ToolFiles in order, one each.
        for (var i = 0; i < snap.Tools.Count && i < snap.ToolFiles.Count; i++)
        {
            if (snap.Tools[i].Name == tool)
            {
                return snap.ToolFiles[i];
            }
        }

        return null;
    }

    private static string Hash(IReadOnlyDictionary<string, byte[]> files, string? path) =>
        path is not null && files.TryGetValue(path, out var bytes) ? "sha256:" + ReleaseBuilder.HashHex(bytes)[..12] : "differs";
}
