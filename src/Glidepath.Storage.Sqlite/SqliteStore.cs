using Glidepath.Errors;
using Glidepath.Storage.Schema;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file in WAL mode, migrated on open.</summary>
public sealed partial class SqliteStore : IGlidepathStore
{
    private SqliteStore(SqliteDatabase database, TimeProvider time)
    {
        Database = database;
        Releases = new SqliteReleaseStore(database);
        Environments = new SqliteEnvironmentStore(database);
        GateVerdicts = new SqliteGateVerdictStore(database);
        Traces = new SqliteTraceStore(database);
        ResponseCache = new SqliteResponseCacheStore(database);
        EvalRuns = new SqliteEvalRunStore(database);
        Rollouts = new SqliteRolloutStore(database);
        Monitor = new SqliteMonitorStore(database);
        ApiKeys = new SqliteApiKeyStore(database);
        AccessTokens = new SqliteAccessTokenStore(database);
        Shadows = new SqliteShadowStore(database);
        SignOuts = new SqliteSignOutStore(database);
        Time = time;
        _journal = new StaleJournal(database.Path);
    }

    private StoreIdentity? _identity;
    private (ulong Device, ulong Inode)? _file;

    /// <summary>
    /// The file this store read last, with its birth time, kept while the path names none (moved away): the same file
    /// moved back is this store again, and the -wal beside it is its own (its commits not yet checkpointed), not set aside.
    /// </summary>
    private ((ulong Device, ulong Inode) File, long Born)? _away;

    private long? _born;

    // The -wal beside the file at the last identity read: if the file is replaced, that log is the old file's.
    private readonly StaleJournal _journal;
    private readonly SemaphoreSlim _identityGate = new(1, 1);

    public SqliteDatabase Database { get; }

    public TimeProvider Time { get; }

    public string Location => Database.Path;

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
    /// Opens the store at <paramref name="path"/>, creating a new one at the current schema version if the file does not
    /// exist or is empty. A store at an older version (or a newer one) is a <see cref="StoreSchemaException"/>:
    /// <see cref="MigrateAsync"/> (<c>glidepath store migrate</c>) brings it up to date.
    /// </summary>
    public static Task<SqliteStore> OpenAsync(string path, TimeProvider? time, CancellationToken cancellationToken) =>
        OpenAsync(path, time, SqliteDatabase.DefaultBusyTimeout, cancellationToken);

    /// <summary>The same, with connections that wait <paramref name="busyTimeout"/> for another connection's write lock (tests set a short one).</summary>
    internal static Task<SqliteStore> OpenAsync(string path, TimeProvider? time, TimeSpan busyTimeout, CancellationToken cancellationToken) =>
        OpenAsync(path, time, busyTimeout, StoreNaming.Cli, cancellationToken);

    /// <summary>
    /// The same, refusing a file that is no store in the words of the host that named it (<see cref="StoreNaming"/>). With
    /// <paramref name="readOnlyFallback"/> (read commands), a store in a folder this process cannot write is opened
    /// read-only instead of failing (<see cref="SqliteReadOnlyOpen"/>), and <see cref="ReadOnlyNote"/> says so.
    /// </summary>
    internal static async Task<SqliteStore> OpenAsync(string path, TimeProvider? time, TimeSpan busyTimeout, StoreNaming naming, CancellationToken cancellationToken, bool readOnlyFallback = false)
    {
        RefuseAFolder(path, naming);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var database = new SqliteDatabase(path, busyTimeout);
            await database.CreateFileAsync(cancellationToken).ConfigureAwait(false);
            return await OpenDatabaseAsync(database, path, time, naming, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == NotADatabase)
        {
            throw naming.NotADatabase(path, ex);
        }
        catch (Exception ex) when ((ex is SqliteException or IOException or UnauthorizedAccessException) && readOnlyFallback && SqliteReadOnlyOpen.Applies(path, ex))
        {
            return await SqliteReadOnlyOpen.OpenAsync(path, time, naming, ex, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new OperationalException($"cannot open the store at {path}: {SqliteFailures.Describe(ex)}", ex);
        }
    }

    /// <summary>Set when the store was opened read-only because its folder cannot be written: the note a command prints.</summary>
    public string? ReadOnlyNote { get; internal set; }

    /// <summary>Checks and reads the store in <paramref name="database"/>, whose file is there: not another program's, at this schema, not an unfinished copy's target; its identity.</summary>
    internal static async Task<SqliteStore> OpenDatabaseAsync(SqliteDatabase database, string path, TimeProvider? time, StoreNaming naming, CancellationToken cancellationToken)
    {
        await RefuseAForeignDatabaseAsync(database, naming, cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.MigrateAsync(database, path, upgrade: false, cancellationToken).ConfigureAwait(false);
        await SqliteUnfinishedCopy.RefuseAsync(database, path, cancellationToken).ConfigureAwait(false);
        var store = new SqliteStore(database, time ?? TimeProvider.System);
        store._file = FileIdentity.Of(database.Path);
        store._born = FileIdentity.Born(database.Path);
        store._journal.Remember();
        store._identity = await ReadIdentityAsync(database, cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>
    /// Applies the migrations the store at <paramref name="path"/> lacks (creating it if there is none), forward-only,
    /// each in its own transaction; a newer schema is refused. <c>glidepath store migrate</c>.
    /// </summary>
    public static async Task<StoreMigration> MigrateAsync(string path, CancellationToken cancellationToken)
    {
        RefuseAFolder(path, StoreNaming.Cli);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var database = new SqliteDatabase(path);
            try
            {
                await database.CreateFileAsync(cancellationToken).ConfigureAwait(false);
                await RefuseAForeignDatabaseAsync(database, StoreNaming.Cli, cancellationToken).ConfigureAwait(false);
                var before = StoreSchema.Version(await SqliteMigrator.AppliedAsync(database, cancellationToken).ConfigureAwait(false));
                var applied = await SqliteMigrator.MigrateAsync(database, path, upgrade: true, cancellationToken).ConfigureAwait(false);
                var after = StoreSchema.Version(await SqliteMigrator.AppliedAsync(database, cancellationToken).ConfigureAwait(false));
                return new StoreMigration(database.Path, before, after, applied);
            }
            finally
            {
                database.ClearPool();
            }
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == NotADatabase)
        {
            throw StoreNaming.Cli.NotADatabase(path, ex);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new OperationalException($"cannot migrate the store at {path}: {SqliteFailures.Describe(ex)}", ex);
        }
    }

    /// <summary>SQLITE_NOTADB: the file is not a SQLite database (a manifest, a log, anything else named as the store).</summary>
    private const int NotADatabase = 26;

    /// <summary>
    /// A folder named as the store is bad input, as a file that is no database is: it was exit 3, "The file '…' already
    /// exists" (SQLite's attempt to create the store file where the folder is).
    /// </summary>
    internal static void RefuseAFolder(string path, StoreNaming naming)
    {
        if (Directory.Exists(path) || path.EndsWith('/') || path.EndsWith(Path.DirectorySeparatorChar))
        {
            throw naming.AFolder(path);
        }
    }

    /// <summary>A file of 0 bytes with no write-ahead log beside it holding pages: SQLite's "empty database", no store.</summary>
    internal static bool IsEmptyFile(string path)
    {
        var file = new FileInfo(path);
        var wal = new FileInfo(path + "-wal");
        return file.Exists && file.Length == 0 && !(wal.Exists && wal.Length > 0);
    }

    /// <summary>
    /// A database that holds other tables and no store (another program's SQLite file named as the store) is refused
    /// before anything is written: the store's schema was written into it, and a read command exited 0.
    /// </summary>
    private static async Task RefuseAForeignDatabaseAsync(SqliteDatabase database, StoreNaming naming, CancellationToken cancellationToken)
    {
        if (!IsEmptyFile(database.Path) && await CatalogAsync(database, cancellationToken).ConfigureAwait(false) is { Objects: > 0, HoldsAStore: false })
        {
            throw naming.AnotherProgramsDatabase(database.Path);
        }
    }

    /// <summary>How many objects the file's schema has, and whether it holds a Glidepath store at any schema version (its migrations table).</summary>
    private static async Task<(long Objects, bool HoldsAStore)> CatalogAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(database.UnpooledConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*), COALESCE(SUM(type = 'table' AND name = 'schema_migrations'), 0) FROM sqlite_master";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (reader.GetInt64(0), reader.GetInt64(1) > 0);
    }

    /// <summary>SQLite's BUSY or LOCKED: another connection held the write lock past the busy timeout (<see cref="SqliteFailures"/>).</summary>
    public bool IsTransient(Exception error) => SqliteFailures.IsBusy(error);

    /// <summary>SQLite's words and what to check: another process holding the write lock, or the disk and the store file's permissions.</summary>
    public string DescribeFailure(Exception error) => SqliteFailures.Explain(error);

    /// <summary>Closes this file's pooled connections, so the file can be moved or deleted once every store on it is disposed.</summary>
    public ValueTask DisposeAsync()
    {
        _journal.Dispose();
        Database.ClearPool();
        return ValueTask.CompletedTask;
    }
}
