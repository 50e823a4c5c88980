using System.Globalization;
using System.Text.RegularExpressions;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Storage;

namespace Glidepath.Releases;

/// <summary>
/// Turns a ref (<c>v7</c>, a hash prefix of 7+ hex digits, <c>env:production</c>, <c>git:REV</c>,
/// <c>working</c>) into a release.
/// </summary>
public sealed partial class ReleaseResolver(Manifest manifest, IGlidepathStore store, TimeProvider time)
{
    /// <summary>Looks up an environment's stable release; set by the environments feature.</summary>
    public Func<string, CancellationToken, Task<Release?>>? EnvironmentStable { get; init; }

    /// <summary>Checks the model spec of every release resolved for registering or serving (see <see cref="ModelSpecValidatorExtensions.EnsureServable"/>).</summary>
    public IModelSpecValidator? Models { get; init; }

    /// <summary>The SQLite file of the store in use (null for another kind): a <c>working</c> release is not dirty because of it.</summary>
    public string? StoreFile { get; init; }

    public const string RefHelp = "expected v<N>, a hash prefix of 7+ hex digits, env:<environment>, git:<rev> or working";

    /// <summary>
    /// Resolves <paramref name="reference"/>. With <paramref name="register"/>, releases built from the
    /// working tree or git are registered in the store (idempotently); otherwise they are returned as
    /// unregistered (version 0) unless identical content is already stored.
    /// </summary>
    public async Task<Release> ResolveAsync(string reference, bool register, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        reference = reference.Trim();
        if (register && IsDraft(reference))
        {
            // Registered without asking the store first whether the content is there: registering is idempotent.
            var draft = await DraftAsync(reference, cancellationToken).ConfigureAwait(false);
            return await RegisterAsync(new ResolvedRef(draft.AsUnregistered(reference), draft), cancellationToken).ConfigureAwait(false);
        }

        var resolved = await ResolveRefAsync(reference, cancellationToken).ConfigureAwait(false);
        return register ? await RegisterAsync(resolved, cancellationToken).ConfigureAwait(false) : resolved.Release;
    }

    /// <summary>
    /// Resolves <paramref name="reference"/> without registering it, keeping what <see cref="RegisterAsync"/> needs to
    /// register it later: a command that checks a release before registering it builds a working-tree release once.
    /// </summary>
    public async Task<ResolvedRef> ResolveRefAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        reference = reference.Trim();
        if (!IsDraft(reference))
        {
            return new ResolvedRef(await ResolveStoredAsync(reference, cancellationToken).ConfigureAwait(false), null);
        }

        var draft = await DraftAsync(reference, cancellationToken).ConfigureAwait(false);
        var stored = await store.Releases.GetByIdAsync(manifest.App, draft.Id, cancellationToken).ConfigureAwait(false);
        return new ResolvedRef(stored ?? draft.AsUnregistered(reference), draft);
    }

    /// <summary>
    /// Registers what <paramref name="resolved"/> names (its draft idempotently, adding its provenance; a stored release
    /// as it is) once its model spec is servable: the release <c>ResolveAsync(reference, register: true)</c> gives.
    /// </summary>
    public async Task<Release> RegisterAsync(ResolvedRef resolved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var release = resolved.Release;
        if (resolved.Draft is { } draft)
        {
            Models?.EnsureServable(draft.CanonicalJson);
            release = (await store.Releases.RegisterAsync(draft, cancellationToken).ConfigureAwait(false)).Release;
        }

        Models?.EnsureServable(release.CanonicalJson);
        return release;
    }

    /// <summary>Whether <paramref name="reference"/> is built from files (<c>working</c>, <c>git:REV</c>) rather than read from the store.</summary>
    private static bool IsDraft(string reference) => reference == "working" || reference.StartsWith("git:", StringComparison.Ordinal);

    private Task<ReleaseDraft> DraftAsync(string reference, CancellationToken cancellationToken) => reference == "working"
        ? ReleaseDrafts.FromWorkingTreeAsync(manifest, null, StoreFile, time, cancellationToken)
        : ReleaseDrafts.FromGitRevisionAsync(manifest, reference[4..], null, time, cancellationToken);

    /// <summary>A ref to a release already in the store: <c>env:NAME</c>, <c>vN</c> or a hash prefix.</summary>
    private async Task<Release> ResolveStoredAsync(string reference, CancellationToken cancellationToken)
    {
        if (reference.StartsWith("env:", StringComparison.Ordinal))
        {
            var env = reference[4..];
            if (manifest.FindEnvironment(env) is null)
            {
                throw new BadInputException($"unknown environment '{env}' in ref '{reference}'; expected one of: {string.Join(", ", manifest.Environments.Select(e => e.Name))}");
            }

            if (EnvironmentStable is null)
            {
                throw new BadInputException($"ref '{reference}' needs environment state, which this command does not read");
            }

            return await EnvironmentStable(env, cancellationToken).ConfigureAwait(false)
                ?? throw new BadInputException($"environment '{env}' has no stable release yet; deploy or promote one first");
        }

        if (VersionRef().Match(reference) is { Success: true } m)
        {
            var version = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return await store.Releases.GetByVersionAsync(manifest.App, version, cancellationToken).ConfigureAwait(false)
                ?? throw new BadInputException($"release {reference} does not exist for app '{manifest.App}'; 'glidepath release list' shows the releases");
        }

        if (HashRef().IsMatch(reference))
        {
            var matches = await store.Releases.FindByIdPrefixAsync(manifest.App, reference.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
            return matches.Count switch
            {
                1 => matches[0],
                0 => throw new BadInputException($"no release of '{manifest.App}' has an id starting with '{reference}'"),
                _ => throw new BadInputException($"'{reference}' is ambiguous: it matches {string.Join(", ", matches.Select(r => r.Label))}; give more hex digits"),
            };
        }

        throw new BadInputException($"'{reference}' is not a release ref; {RefHelp}");
    }

    [GeneratedRegex("^v([0-9]{1,9})\\z")]
    private static partial Regex VersionRef();

    [GeneratedRegex("^[0-9a-fA-F]{7,64}\\z")]
    private static partial Regex HashRef();
}
