using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>Opens connections to one SQLite file with the pragmas Glidepath relies on (WAL, foreign keys, busy wait).</summary>
public sealed class SqliteDatabase
{
    /// <summary>How long a connection waits for another connection's lock before SQLite reports BUSY: 30 s.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(30);

    private readonly int _busyTimeoutMs;

    // Boxed once: the value kept per native connection, so a connection configured with another busy timeout is set again.
    private readonly object _configured;

    public SqliteDatabase(string path)
        : this(path, DefaultBusyTimeout)
    {
    }

    /// <param name="busyTimeout">How long a connection waits for another connection's lock (tests set a short one).</param>
    internal SqliteDatabase(string path, TimeSpan busyTimeout)
        : this(path, busyTimeout, SqliteReadOnlyOpen.Mode.None)
    {
    }

    private SqliteDatabase(string path, TimeSpan busyTimeout, SqliteReadOnlyOpen.Mode readOnly)
    {
        Path = System.IO.Path.GetFullPath(path);
        _busyTimeoutMs = (int)Math.Clamp(busyTimeout.TotalMilliseconds, 1, int.MaxValue);
        _configured = _busyTimeoutMs;
        var builder = new SqliteConnectionStringBuilder
        {
            // Immutable: SQLite reads the file as it is, with no -shm (which a read-only folder cannot hold) and no -wal.
            DataSource = readOnly == SqliteReadOnlyOpen.Mode.Immutable ? new Uri(Path).AbsoluteUri + "?immutable=1" : Path,
            Mode = readOnly == SqliteReadOnlyOpen.Mode.None ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly,
            Cache = SqliteCacheMode.Private,
            Pooling = true,

            // Microsoft.Data.Sqlite's own retry of a busy statement, in whole seconds (0 would be for ever).
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        };
        ConnectionString = builder.ToString();
        _generation = Generations.GetOrAdd(ConnectionString, _ => new System.Runtime.CompilerServices.StrongBox<long>());
        builder.Pooling = false;
        UnpooledConnectionString = builder.ToString();
    }

    public string Path { get; }

    /// <summary>Connections that only read the file at <paramref name="path"/>, in <paramref name="mode"/> (never <see cref="SqliteReadOnlyOpen.Mode.None"/>).</summary>
    internal static SqliteDatabase ReadOnly(string path, SqliteReadOnlyOpen.Mode mode) => new(path, DefaultBusyTimeout, mode);

    /// <summary>
    /// Opens the existing file only (never creates one): a store file deleted under a running process must show up as
    /// an error, not as a new empty store that quietly takes its place. <see cref="CreateFileAsync"/> creates it.
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>The same, without the pool: reaches the file now at <see cref="Path"/>, not one a pooled connection still holds open.</summary>
    public string UnpooledConnectionString { get; }

    /// <summary>
    /// Creates an empty database file at <see cref="Path"/> when none exists, readable and writable by its owner only
    /// (0600 on Unix, <see cref="OwnerOnlyFile"/>): the store holds the subject-hashing secret, key and token hashes and
    /// captured request content. SQLite gives the <c>-wal</c> and <c>-shm</c> files it creates next to it the same mode.
    /// </summary>
    public async Task CreateFileAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path))
        {
            return;
        }

        if (!OperatingSystem.IsWindows() && !OwnerOnlyFile.TryCreateNew(Path))
        {
            return; // another process made it first
        }

        var create = new SqliteConnectionStringBuilder(UnpooledConnectionString) { Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        await using var connection = new SqliteConnection(create);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops pooled connections, so the next ones open the file now at <see cref="Path"/> (after it was replaced), and
    /// with them those a <see cref="SqlitePreparedQuery"/> keeps open (any database's on the same pool, as the pool is shared).
    /// </summary>
    public void ClearPool()
    {
        Interlocked.Increment(ref _generation.Value);
        PoolClearing?.Invoke();
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Raised by <see cref="ClearPool"/> before the pool is cleared: connections kept open outside the pool are closed into it.</summary>
    internal event Action? PoolClearing;

    /// <summary>
    /// How many times the pool of <see cref="ConnectionString"/> was cleared in this process (by any database on it): a
    /// connection opened under an older value is one the pool has let go of.
    /// </summary>
    internal long PoolGeneration => Volatile.Read(ref _generation.Value);

    private readonly System.Runtime.CompilerServices.StrongBox<long> _generation;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Runtime.CompilerServices.StrongBox<long>> Generations = new(StringComparer.Ordinal);

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);

        // The pragmas belong to the native connection, which the pool keeps open between uses: set them once per
        // native connection rather than on every open (three statements on every store call otherwise).
        if (connection.Handle is { } handle && Configured.TryGetValue(handle, out var set) && set is int busyMs && busyMs == _busyTimeoutMs)
        {
            return connection;
        }

        await using var cmd = connection.CreateCommand();
        cmd.CommandText = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL;");
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (connection.Handle is { } configured)
        {
            Configured.AddOrUpdate(configured, _configured);
        }

        return connection;
    }

    /// <summary>Native connections whose pragmas are set, with the busy timeout set; weak, so a closed and collected connection leaves no entry.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = [];
}
