using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Glidepath.Errors;

namespace Glidepath.Evals.Datasets;

/// <summary>
/// A dataset checked line by line without keeping its cases, so that a run of any size holds one case at a time: its
/// file, its sha256 (recorded with the run), the tags that select cases and how many cases they select. The run then
/// reads the cases again with <see cref="ReadAsync"/>, which fails if the file changed in between.
/// </summary>
public sealed record DatasetScan(string Path, string DisplayName, string Sha256, IReadOnlyList<string> Tags, int CaseCount)
{
    /// <summary>
    /// What is odd but not wrong, for the host to show on stderr: <c>input.vars</c> names no template of the run's releases
    /// uses, one line per name (<c>file:line: input.vars 'memberlevel' (set by 3 case(s), …) is ignored: …</c>).
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// Checks every line of the file (all problems reported at once, exit 2) and counts the cases <paramref name="tags"/>
    /// select. With <paramref name="reads"/> (what the run's scorers read), a case's <c>expect</c> key that no scorer reads,
    /// or a case that no scorer checks, is a problem too: it would pass without anything having been checked. With
    /// <paramref name="releases"/> (those the run scores), an <c>expect.tool_call</c> naming a tool none of them defines is
    /// a problem (the case could never pass), and <c>input.vars</c> names no template of theirs uses are
    /// <see cref="Warnings"/>. Every case of the file is checked, also those <paramref name="tags"/> leave out.
    /// </summary>
    /// <param name="given">
    /// With <paramref name="releases"/>: the vars the run gives every case (an environment's <c>vars:</c>, <c>--var</c>) and
    /// the hint for a missing one (<see cref="Runs.EvalSetup.UnsetVarsHint"/>). A case the run asks that leaves a template
    /// variable unset is then bad input (exit 2), once the file has no other problem.
    /// </param>
    public static Task<DatasetScan> ScanAsync(string path, string displayName, IReadOnlyList<string> tags, CancellationToken cancellationToken,
        Scorers.ExpectReads? reads = null, Releases.ReleaseNames? releases = null, Runs.EvalSetup? given = null) =>
        ScanAsync(path, displayName, tags, cancellationToken, reads, releases is null ? null : Task.FromResult(releases), given);

    /// <summary>
    /// As the overload taking the names, while they are still being resolved: the file is read, hashed and parsed at
    /// once, and up to <see cref="PendingLimit"/> cases wait for <paramref name="releases"/> before the checks that need
    /// them. The outcome (problems in the same order, the same warnings, the same count) is the one the names given up
    /// front would give; <paramref name="releases"/> failing or cancelled fails the scan.
    /// </summary>
    public static async Task<DatasetScan> ScanAsync(string path, string displayName, IReadOnlyList<string> tags, CancellationToken cancellationToken,
        Scorers.ExpectReads? reads, Task<Releases.ReleaseNames>? releases, Runs.EvalSetup? given)
    {
        ArgumentNullException.ThrowIfNull(tags);
        await using var stream = DatasetReader.Open(path, displayName);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var errors = new List<string>();
        var count = 0;
        var checks = new CaseChecks(reads, given, displayName, errors);
        var pending = new List<(EvalCase Case, bool Asked, int ErrorIndex)>();
        await foreach (var c in DatasetReader.ReadCasesAsync(stream, displayName, sha, errors, checkIds: true, cancellationToken).ConfigureAwait(false))
        {
            var asked = EvalDataset.Carries(c, tags);
            count += asked ? 1 : 0;
            if (releases is not null && !checks.HasNames && (releases.IsCompleted || pending.Count >= PendingLimit))
            {
                checks.Named(await releases.ConfigureAwait(false), pending);
            }

            if (releases is null || checks.HasNames)
            {
                checks.Check(c, asked, errors.Count);
            }
            else
            {
                pending.Add((c, asked, errors.Count));
            }
        }

        if (releases is not null && !checks.HasNames)
        {
            checks.Named(await releases.ConfigureAwait(false), pending);
        }

        if (errors.Count == 0)
        {
            checks.ThrowIfUnsetVars();
        }

        return errors.Count > 0
            ? throw new DatasetException(errors, checks.Unlisted)
            : new DatasetScan(path, displayName, Convert.ToHexStringLower(sha.GetHashAndReset()), tags, count) { Warnings = checks.Warnings() };
    }

    /// <summary>How many parsed cases may wait for the release names (bounded memory: the file may hold millions).</summary>
    internal const int PendingLimit = 2048;

    /// <summary>The selected cases in file order, one at a time; a file that no longer hashes to <see cref="Sha256"/> fails the read.</summary>
    public async IAsyncEnumerable<EvalCase> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stream = DatasetReader.Open(Path, DisplayName);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var errors = new List<string>();
        await foreach (var c in DatasetReader.ReadCasesAsync(stream, DisplayName, sha, errors, checkIds: false, cancellationToken).ConfigureAwait(false))
        {
            if (errors.Count > 0)
            {
                throw Changed();
            }

            if (EvalDataset.Carries(c, Tags))
            {
                yield return c;
            }
        }

        if (errors.Count > 0 || Convert.ToHexStringLower(sha.GetHashAndReset()) != Sha256)
        {
            throw Changed();
        }
    }

    private BadInputException Changed() =>
        new($"{DisplayName} changed while the run was reading it (sha256 {Sha256[..12]} when it started); results would not be comparable: start a new run");
}
