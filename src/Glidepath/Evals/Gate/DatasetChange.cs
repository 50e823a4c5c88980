using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Releases;

namespace Glidepath.Evals.Gate;

/// <summary>
/// How the gated dataset differs from <c>eval.dataset</c> at the baseline's commit, when cases were removed or changed: a
/// change that deletes (or rewrites) the cases it breaks passes its own gate, so every report says so, as for a rule change.
/// Cases are matched by id; a case changed when its line's content (as canonical JSON) differs.
/// </summary>
/// <param name="Message">One sentence for every report.</param>
/// <param name="Examples">The first removed cases, then the first changed ones (at most <see cref="MaxExamples"/>), with what happened to each.</param>
public sealed record DatasetChange(string Message, int Removed, int Changed, int Added, IReadOnlyList<(string CaseId, string Change)> Examples)
{
    public const int MaxExamples = 10;

    /// <summary>
    /// Compares the dataset file the gate ran (<paramref name="currentFile"/>, whose sha256 is <paramref name="currentSha256"/>)
    /// with <c>eval.dataset</c> as the baseline's commit has it. Null when nothing was removed or changed (added cases alone are
    /// gated), or when the baseline's dataset cannot be read (no such file there, a path outside the manifest's folder).
    /// Lines that are not a JSON object with a string <c>id</c> are left out on both sides: the gate checked the current file.
    /// </summary>
    public static async Task<DatasetChange?> CompareAsync(BaselineEval baseline, string currentFile, string currentSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        // "./evals/a.jsonl" and "evals/x/../a.jsonl" name "evals/a.jsonl" in the commit's tree; a path out of the manifest's folder names nothing there.
        var root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "commit-root"));
        var relative = Path.GetRelativePath(root, Path.GetFullPath(baseline.Eval.Dataset, root)).Replace('\\', '/');
        if (Path.IsPathRooted(baseline.Eval.Dataset) || relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || !baseline.Files.Exists(relative))
        {
            return null;
        }

        byte[] before;
        try
        {
            before = baseline.Files.ReadAllBytes(relative);
        }
        catch (IOException)
        {
            return null;
        }

        if (Convert.ToHexStringLower(SHA256.HashData(before)) == currentSha256)
        {
            return null;
        }

        var was = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        using (var reader = new StreamReader(new MemoryStream(before), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (Fingerprint(line) is var (id, hash) && was.TryAdd(id, hash))
                {
                    order.Add(id);
                }
            }
        }

        var now = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var reader = new StreamReader(Files.BoundedFile.OpenRead(currentFile), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (Fingerprint(line) is var (id, hash))
                {
                    now.TryAdd(id, hash);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var removed = order.Where(id => !now.ContainsKey(id)).ToList();
        var changed = order.Where(id => now.TryGetValue(id, out var hash) && hash != was[id]).ToList();
        if (removed.Count == 0 && changed.Count == 0)
        {
            return null;
        }

        var added = now.Keys.Count(id => !was.ContainsKey(id));
        var examples = removed.Select(id => (id, "removed")).Concat(changed.Select(id => (id, "changed"))).Take(MaxExamples).ToList();
        var named = string.Join(", ", examples.Take(5).Select(e => e.id.Length <= 60 ? e.id : e.id[..59] + "…")) + (removed.Count + changed.Count > 5 ? ", …" : "");
        var commit = baseline.Files is Git.GitRevisionFileSource git ? $" at the baseline's commit {git.Commit[..Math.Min(12, git.Commit.Length)]}" : " at the baseline's commit";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"the dataset was changed by this change: against {baseline.Eval.Dataset}{commit}, {removed.Count} case(s) removed, {changed.Count} changed and {added} added ({named}); " +
            $"this verdict does not gate the removed cases, nor the changed ones as the baseline had them");
        return new DatasetChange(message, removed.Count, changed.Count, added, examples);
    }

    /// <summary>A line's case id and the sha256 of its content as canonical JSON (key order and spacing do not count), or null for a line that is no case.</summary>
    private static (string Id, string Hash)? Fingerprint(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(line) is JsonObject obj && obj["id"] is JsonValue id && id.TryGetValue<string>(out var text)
                ? (text, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(obj)))))
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
