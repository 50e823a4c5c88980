using Glidepath.Errors;
using Glidepath.Storage.Schema;
using Npgsql;

namespace Glidepath.Storage.Postgres;

/// <summary>
/// The shared store: one schema in a PostgreSQL database, migrated on open, that many processes on many machines read
/// and write at once. Invariants the SQLite store keeps with its write lock are kept here by advisory locks, unique
/// keys and triggers, so concurrent writers never lose an update.
/// </summary>
public sealed class PostgresStore : IGlidepathStore, IRevisionWatch
{
    private StoreIdentity? _identity;

    private PostgresStore(PostgresDatabase database)
    {
        Database = database;
        Releases = new PostgresReleaseStore(database);
        Environments = new PostgresEnvironmentStore(database);
        GateVerdicts = new PostgresGateVerdictStore(database);
        Traces = new PostgresTraceStore(database);
        ResponseCache = new PostgresResponseCacheStore(database);
        EvalRuns = new PostgresEvalRunStore(database);
        Rollouts = new PostgresRolloutStore(database);
        Monitor = new PostgresMonitorStore(database);
        ApiKeys = new PostgresApiKeyStore(database);
        AccessTokens = new PostgresAccessTokenStore(database);
        Shadows = new PostgresShadowStore(database);
        SignOuts = new PostgresSignOutStore(database);
    }

    public PostgresDatabase Database { get; }

    /// <summary>The location as a URI without the password.</summary>
    public string Location => Database.Location.Display;

    public IReleaseStore Releases { get; }

    public IEnvironmentStore Environments { get; }

    public IGateVerdictStore GateVerdicts { get; }

    public ITraceStore Traces { get; }

    public IResponseCacheStore ResponseCache { get; }

    public IEvalRunStore EvalRuns { get; }

    public IRolloutStore Rollouts { get; }

    public IMonitorStore Monitor { get; }

    public IApiKeyStore ApiKeys { get; }

    public IAccessTokenStore AccessTokens { get; }
    public IShadowStore Shadows { get; }

    public ISignOutStore SignOuts { get; }

    /// <summary>
    /// Opens the store at <paramref name="location"/>, applying pending migrations. With <paramref name="create"/> false a
    /// database without the store's schema is a <see cref="BadInputException"/> ("no store at …") and nothing is created.
    /// The target of a <c>glidepath store copy</c> that did not finish is refused (<see cref="UnfinishedCopy"/>).
    /// </summary>
    public static Task<PostgresStore> OpenAsync(PostgresLocation location, bool create, CancellationToken cancellationToken) =>
        OpenAsync(location, create, null, cancellationToken);

    /// <param name="limits">The transactions' lock and idle timeouts; null: for the location's settings (tests set short ones).</param>
    internal static async Task<PostgresStore> OpenAsync(PostgresLocation location, bool create, PostgresSessionLimits? limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        var database = new PostgresDatabase(location, limits);
        try
        {
            if (!create)
            {
                await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
                if (!await PostgresMigrator.ExistsAsync(connection, location.Schema, cancellationToken).ConfigureAwait(false))
                {
                    throw NoStore(location);
                }
            }

            // An existing store at the current version is opened without the migration lock; anything else (a new store,
            // an older or newer schema) is decided under it.
            await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                var applied = await PostgresMigrator.AppliedAsync(connection, location.Schema, cancellationToken).ConfigureAwait(false);
                if (StoreSchema.Compare(applied, PostgresMigrator.Known) != StoreSchemaState.Current)
                {
                    await PostgresMigrator.MigrateAsync(database, upgrade: false, copying: null, cancellationToken).ConfigureAwait(false);
                }

                await PostgresUnfinishedCopy.RefuseAsync(connection, location, cancellationToken).ConfigureAwait(false);
            }

            var store = new PostgresStore(database);
            store._identity = await store.ReadStoredIdentityAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (PostgresException ex) when (!create && ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // The database itself is missing: a write command would not create it either (a database is created by
            // its administrator, docs/stores.md), so the advice is that, not "a write command creates one".
            await database.DisposeAsync().ConfigureAwait(false);
            throw new BadInputException($"no store at {location.Display}: the database does not exist; create it first (createdb, or CREATE DATABASE as its administrator), then any command that writes creates the store's schema in it");
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw new OperationalException($"cannot open the store at {location.Display}: {PostgresSchemaCheck.Explain(location, ex)}", ex);
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Applies the migrations the store at <paramref name="location"/> lacks (creating it in its schema if there is none),
    /// forward-only, each in its own transaction under the migration lock; a newer schema is refused.
    /// <c>glidepath store migrate</c>.
    /// </summary>
    public static Task<StoreMigration> MigrateAsync(PostgresLocation location, CancellationToken cancellationToken) =>
        MigrateAsync(location, null, cancellationToken);

    /// <summary>
    /// As <see cref="MigrateAsync(PostgresLocation, CancellationToken)"/>, for <c>glidepath store copy</c>: a store this
    /// creates gets <paramref name="copying"/>'s mark in the statement that writes its identity, so that at no moment is
    /// it an ordinary new, empty store that other processes would open. A store that was already there is left to the
    /// copy, which marks it only once it has found it empty.
    /// </summary>
    public static async Task<StoreMigration> MigrateAsync(PostgresLocation location, UnfinishedCopy? copying, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(location);
        await using var database = new PostgresDatabase(location);
        try
        {
            int before;
            await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                before = StoreSchema.Version(await PostgresMigrator.AppliedAsync(connection, location.Schema, cancellationToken).ConfigureAwait(false));
            }

            var applied = await PostgresMigrator.MigrateAsync(database, upgrade: true, copying, cancellationToken).ConfigureAwait(false);
            return new StoreMigration(location.Display, before, StoreSchema.Version(PostgresMigrator.Known), applied);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new OperationalException($"cannot migrate the store at {location.Display}: {PostgresSchemaCheck.Explain(location, ex)}", ex);
        }
    }

    /// <summary>The failures that pass with time (<see cref="PostgresFailures"/>): a busy server, a lock or command that timed out, a lost connection.</summary>
    public bool IsTransient(Exception error) => PostgresFailures.IsTransient(error);

    /// <summary>The server's words (withheld if they hold the password, <see cref="PostgresLocation.Detail"/>) and PostgreSQL's advice (<see cref="PostgresFailures.Advice"/>).</summary>
    public string DescribeFailure(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var detail = Database.Location.Detail(error).ReplaceLineEndings(" ").Trim();
        return PostgresFailures.Advice(error) is { } advice ? $"{detail}; {advice}" : detail;
    }

    /// <summary>
    /// The identity of the store now in the schema. One dropped and created again (a restore, another store put in its
    /// place) is adopted with a new <see cref="StoreIdentity.Generation"/>; a schema that is gone is an
    /// <see cref="OperationalException"/> and nothing is created in its place.
    /// </summary>
    public async Task<StoreIdentity> ReadIdentityAsync(CancellationToken cancellationToken)
    {
        StoreIdentity now;
        try
        {
            now = await ReadStoredIdentityAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.InvalidCatalogName)
        {
            throw new OperationalException($"the store at {Location} is gone (its schema or database was dropped); nothing is read or written until a store is there again", ex);
        }
        catch (NpgsqlException ex)
        {
            throw new OperationalException($"cannot read the store at {Location}: {PostgresSchemaCheck.Explain(Database.Location, ex)}", ex);
        }

        if (_identity is { } known && known.StoreId == now.StoreId)
        {
            return Copy(known) with { SchemaVersion = now.SchemaVersion }; // a newer glidepath may have migrated it meanwhile
        }

        _identity = now with { Generation = (_identity?.Generation ?? 0) + 1 };
        return Copy(_identity);
    }

    /// <summary>Changes pushed with LISTEN/NOTIFY (see <see cref="PostgresRevisionWatch"/>).</summary>
    public Task WatchAsync(Action<RevisionNotice> changed, CancellationToken cancellationToken) =>
        new PostgresRevisionWatch(Database.Location, ListenChannel).WatchAsync(changed, cancellationToken);

    /// <summary>
    /// The channel the watch LISTENs on instead of the store's own; null (always, outside tests): the store's. A test makes
    /// the watch deaf with it, as a pooler in transaction mode does: the LISTEN succeeds, and no notice ever arrives.
    /// </summary>
    internal string? ListenChannel { get; set; }

    /// <summary>
    /// A NOTIFY of the probe on the store's channel from a pooled connection, the way a change committed by another
    /// process is announced (<see cref="IRevisionWatch.ProbeAsync"/>).
    /// </summary>
    public async Task ProbeAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        try
        {
            await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var cmd = connection.Command("SELECT pg_notify(@channel, @payload)")
                .With("channel", PostgresRevisionWatch.ChannelOf(Database.Location))
                .With("payload", RevisionNotice.ProbeApp + "\t" + token);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw new OperationalException($"cannot send a probe to the store at {Location}: {Database.Location.Detail(ex)}", ex);
        }
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();

    // The key is an array: a caller that scribbles on its copy must not change the key this store compares and hands out.
    private static StoreIdentity Copy(StoreIdentity identity) => identity with { SubjectKey = (byte[])identity.SubjectKey.Clone() };

    private static BadInputException NoStore(PostgresLocation location) =>
        new($"no store at {location.Display}; expected an existing store (commands that write, such as 'glidepath release create', create one)");

    // The identity of the store's own schema (named, not found on the path), and, in the same query, the schema this
    // session's unqualified SQL reaches: at open and on every pass of a gateway's loops, so a pooler that drops or loses
    // the search path is refused rather than followed into another store (PostgresSchemaCheck).
    private async Task<StoreIdentity> ReadStoredIdentityAsync(CancellationToken cancellationToken)
    {
        var location = Database.Location;
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        // The schema version in the same statement: every poll reads the identity, so a store a newer glidepath migrated
        // under this process is noticed without another round trip. Both tables named with the store's schema, and the
        // session's schema read beside them (PostgresSchemaCheck).
        await using var cmd = connection.Command($"""
            SELECT store_id, subject_key, current_schema(), current_setting('search_path'),
                   (SELECT COALESCE(MAX(version), 0) FROM "{location.Schema}".schema_migrations)
            FROM "{location.Schema}".store_identity WHERE id = 1
            """);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new OperationalException($"the store at {Location} has no identity row; it was not created by Glidepath");
        }

        PostgresSchemaCheck.Require(location, reader.StringOrNull(2), reader.StringOrNull(3));
        return new StoreIdentity(reader.GetString(0), reader.GetFieldValue<byte[]>(1)) { SchemaVersion = reader.GetInt32(4), KnownSchemaVersion = KnownVersion };
    }

    /// <summary>The highest schema version this binary knows.</summary>
    private static readonly int KnownVersion = StoreSchema.Version(PostgresMigrator.Known);
}
