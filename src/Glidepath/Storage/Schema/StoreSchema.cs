namespace Glidepath.Storage.Schema;

/// <summary>
/// The one rule every store applies when it is opened: serve and write only on a schema at exactly the version this
/// binary knows. A new store is built at that version; an older one is refused until <c>glidepath store migrate</c>
/// has run; a newer one is refused until this binary is upgraded.
/// </summary>
public static class StoreSchema
{
    /// <summary>Compares the versions recorded in a store with the versions this binary ships.</summary>
    public static StoreSchemaState Compare(IReadOnlyCollection<int> applied, IReadOnlyCollection<int> known)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(known);
        if (applied.Any(v => !known.Contains(v)))
        {
            return StoreSchemaState.Newer;
        }

        if (applied.Count == 0)
        {
            return StoreSchemaState.Fresh;
        }

        return known.All(applied.Contains) ? StoreSchemaState.Current : StoreSchemaState.Outdated;
    }

    /// <summary>
    /// Throws a <see cref="StoreSchemaException"/> unless the store is current (or fresh and <paramref name="mayCreate"/>).
    /// <paramref name="location"/> is shown to the user and must carry no password.
    /// </summary>
    public static StoreSchemaState Require(string location, IReadOnlyCollection<int> applied, IReadOnlyCollection<int> known, bool mayCreate)
    {
        var state = Compare(applied, known);
        return state switch
        {
            StoreSchemaState.Current => state,
            StoreSchemaState.Fresh when mayCreate => state,
            StoreSchemaState.Newer => throw new StoreSchemaException(state, Version(applied), Version(known),
                $"the store at {location} has schema version {Version(applied)}, newer than this glidepath knows ({Version(known)}); upgrade glidepath on every machine that uses this store: an older binary does not start on a newer schema (one already running when the store was migrated goes on, says so once in its log, and its rollout controller holds)"),
            _ => throw new StoreSchemaException(state, Version(applied), Version(known),
                $"the store at {location} is at schema version {Version(applied)} and this glidepath needs version {Version(known)}; back the store up ({BackupAdvice(location)}), then run 'glidepath store migrate --store {location}' (nothing was read or written)"),
        };
    }

    /// <summary>
    /// How to back up the store at <paramref name="location"/>: <c>glidepath store backup</c> for a SQLite file, pg_dump of its
    /// schema for PostgreSQL (where <c>store backup</c> refuses: docs/stores.md).
    /// </summary>
    internal static string BackupAdvice(string location)
    {
        if (!StoreProviders.LooksLikePostgres(location))
        {
            return $"'glidepath store backup FILE --store {location}'";
        }

        var schema = System.Text.RegularExpressions.Regex.Match(location, @"(?:^|[?&;])\s*(?:schema|Search ?Path)\s*=\s*([A-Za-z_][A-Za-z0-9_]*)", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant) is { Success: true } m
            ? m.Groups[1].Value
            : "glidepath";
        return $"with pg_dump, e.g. 'pg_dump --format=custom --schema={schema} --file=glidepath-backup.dump DATABASE'";
    }

    /// <summary>
    /// What a migrator may do with a store in this state: build a fresh one, bring an outdated one up to date only with
    /// <paramref name="upgrade"/> (<c>glidepath store migrate</c>), never touch a newer one. Throws a
    /// <see cref="StoreSchemaException"/> otherwise.
    /// </summary>
    public static StoreSchemaState RequireMigratable(string location, IReadOnlyCollection<int> applied, IReadOnlyCollection<int> known, bool upgrade) =>
        Compare(applied, known) is StoreSchemaState.Outdated && upgrade
            ? StoreSchemaState.Outdated
            : Require(location, applied, known, mayCreate: true);

    /// <summary>The highest version in <paramref name="versions"/>, 0 for none.</summary>
    public static int Version(IReadOnlyCollection<int> versions) => versions is null || versions.Count == 0 ? 0 : versions.Max();
}
