using Glidepath.Errors;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>The embedded store: one SQLite file in WAL mode, migrated on open.</summary>
public sealed class SqliteStore : IGlidepathStore
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
        Time = time;
    }

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

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/> and applies pending migrations.</summary>
    public static async Task<SqliteStore> OpenAsync(string path, TimeProvider? time, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var database = new SqliteDatabase(path);
            await SqliteMigrator.MigrateAsync(database, cancellationToken).ConfigureAwait(false);
            return new SqliteStore(database, time ?? TimeProvider.System);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new OperationalException($"cannot open the store at {path}: {ex.Message}", ex);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
