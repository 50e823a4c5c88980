using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Releases;

namespace Glidepath.Evals.Gate;

/// <summary>
/// How the gated dataset differs from <c>eval.dataset</c> at the baseline's commit, when cases were removed or changed: a
/// change that deletes (or rewrites) the cases it breaks passes its own gate, so every report says so, as for a rule change;
/// and who made each difference (<see cref="BaselineFork"/>): a branch that is only behind lacks the cases the base branch
/// added since, which is said as such. Cases are matched by id; a case changed when its line's content (as canonical JSON) differs.
/// </summary>
/// <param name="Message">One sentence for every report.</param>
/// <param name="Removed">Cases of the baseline's dataset the gated one lacks (removed here, or added on the base branch).</param>
/// <param name="Examples">The first removed cases, then the first changed ones (at most <see cref="MaxExamples"/>), with what happened to each.</param>
public sealed record DatasetChange(string Message, int Removed, int Changed, int Added, IReadOnlyList<(string CaseId, string Change)> Examples)
{
    public const int MaxExamples = 10;

    /// <summary>Who made the differences; null when that cannot be told (no merge base, no dataset at the fork point).</summary>
    public ChangedBy? ChangedBy { get; init; }

    /// <summary>The warning's title in a list of tests (JUnit).</summary>
    public string Title => ChangedBy switch
    {
        Gate.ChangedBy.ThisChange => string.Create(CultureInfo.InvariantCulture, $"the dataset was changed by this change: {Removed} case(s) removed, {Changed} changed"),
        Gate.ChangedBy.BaseBranch => string.Create(CultureInfo.InvariantCulture, $"the dataset differs from the baseline's: {Removed} case(s) added and {Changed} changed on the base branch since this branch forked"),
        Gate.ChangedBy.Both => string.Create(CultureInfo.InvariantCulture, $"the dataset was changed by this change and on the base branch: {Removed} case(s) removed, {Changed} changed"),
        _ => string.Create(CultureInfo.InvariantCulture, $"the dataset was changed by this change or on the base branch: {Removed} case(s) removed, {Changed} changed"),
    };

    /// <summary>What a reader of the markdown, HTML and JUnit reports should do, after the message; "" when the message says it.</summary>
    public string Action => ChangedBy == Gate.ChangedBy.BaseBranch ? "" : "Review the dataset in this change.";

    /// <summary>
    /// Compares the dataset file the gate ran (<paramref name="currentFile"/>, whose sha256 is <paramref name="currentSha256"/>)
    /// with <c>eval.dataset</c> as the baseline's commit has it, and each difference with the fork point's. Null when nothing
    /// was removed or changed (added cases alone are gated), or when the baseline's dataset cannot be read (no such file there,
    /// a path outside the manifest's folder). Lines that are not a JSON object with a string <c>id</c> are left out on every
    /// side: the gate checked the current file.
    /// </summary>
    public static async Task<DatasetChange?> CompareAsync(BaselineFork fork, string currentFile, string currentSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fork);
        var baseline = fork.Baseline;
        if (baseline.TryRead(baseline.Eval.Dataset) is not { } before || Convert.ToHexStringLower(SHA256.HashData(before)) == currentSha256)
        {
            return null;
        }

        var (was, order) = await CasesAsync(new MemoryStream(before), cancellationToken).ConfigureAwait(false);
        Dictionary<string, string> now;
        try
        {
            (now, _) = await CasesAsync(Files.BoundedFile.OpenRead(currentFile), cancellationToken).ConfigureAwait(false);
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

        // The fork point's cases: the baseline's when HEAD forked at the baseline's commit (a pull request merged into it).
        var atFork = fork.AtMergeBase is not { } m ? null
            : ReferenceEquals(m, baseline) ? was
            : m.TryRead(m.Eval.Dataset) is { } bytes ? (await CasesAsync(new MemoryStream(bytes), cancellationToken).ConfigureAwait(false)).Cases
            : null;
        string? ForkHash(string id) => atFork!.TryGetValue(id, out var hash) ? hash : null;
        var removedBy = removed.Select(id => BaselineFork.Attribute(atFork is not null, null, was[id], atFork is null ? null : ForkHash(id))).ToList();
        var changedBy = changed.Select(id => BaselineFork.Attribute(atFork is not null, now[id], was[id], atFork is null ? null : ForkHash(id))).ToList();
        var by = BaselineFork.Overall(removedBy.Concat(changedBy));

        var added = now.Keys.Count(id => !was.ContainsKey(id));
        var examples = removed.Select(id => (id, "removed")).Concat(changed.Select(id => (id, "changed"))).Take(MaxExamples).ToList();
        var named = string.Join(", ", examples.Take(5).Select(e => e.id.Length <= 60 ? e.id : e.id[..59] + "…")) + (removed.Count + changed.Count > 5 ? ", …" : "");
        var against = $"against {baseline.Eval.Dataset} at the baseline's commit {BaselineFork.Short(fork.BaselineCommit)}";
        var counts = string.Create(CultureInfo.InvariantCulture, $"{removed.Count} case(s) removed, {changed.Count} changed and {added} added ({named})");
        const string NotGated = "this verdict does not gate the removed cases, nor the changed ones as the baseline had them";
        int Count(IEnumerable<ChangedBy?> each, ChangedBy side) => each.Count(b => b == side || b == Gate.ChangedBy.Both);
        var message = by switch
        {
            Gate.ChangedBy.ThisChange => $"the dataset was changed by this change: {against}, {counts}; {NotGated}",
            Gate.ChangedBy.BaseBranch => string.Create(CultureInfo.InvariantCulture,
                $"the dataset differs from {fork.BaselineName}: {fork.BaseName} changed it since this branch forked ({against}, {removed.Count} case(s) added there and {changed.Count} changed ({named})); " +
                $"this change is gated on its own dataset, without those cases as {fork.BaseName} has them; {fork.MergeAdvice} to be gated on {fork.Theirs}"),
            Gate.ChangedBy.Both => string.Create(CultureInfo.InvariantCulture,
                $"the dataset was changed by this change and on {fork.BaseName} since this branch forked: {against}, {counts}; " +
                $"this change removed {Count(removedBy, Gate.ChangedBy.ThisChange)} and changed {Count(changedBy, Gate.ChangedBy.ThisChange)} of them, {fork.BaseName} added {Count(removedBy, Gate.ChangedBy.BaseBranch)} and changed {Count(changedBy, Gate.ChangedBy.BaseBranch)}; " +
                $"{NotGated}; {fork.MergeAdvice} to be gated on {fork.Theirs}"),
            _ => $"the dataset differs from {fork.BaselineName}, changed by this change or on {fork.BaseName} since this branch forked: {against}, {counts}; {NotGated}; {fork.UnknownNote}",
        };
        return new DatasetChange(message, removed.Count, changed.Count, added, examples) { ChangedBy = by };
    }

    /// <summary>The cases of a dataset by id (the first line of an id wins), each with the hash of its content, and the ids in file order.</summary>
    private static async Task<(Dictionary<string, string> Cases, List<string> Order)> CasesAsync(Stream stream, CancellationToken cancellationToken)
    {
        var cases = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (Fingerprint(line) is var (id, hash) && cases.TryAdd(id, hash))
            {
                order.Add(id);
            }
        }

        return (cases, order);
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
