using Glidepath.Errors;
using Glidepath.Storage.Schema;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>The store's identity, read on every poll: which file is at the path now, and adopting or letting go of it.</summary>
public sealed partial class SqliteStore
{
    /// <summary>
    /// The identity of the file now at <see cref="Location"/>. A deleted file is an <see cref="OperationalException"/>
    /// (nothing is created in its place). A file that now holds another store — deleted and created again, or swapped —
    /// is adopted if its schema is current (otherwise a <see cref="StoreSchemaException"/>, fail static): the connection pool is cleared, so every later read and write of this store
    /// goes to the new file instead of the unlinked one.
    /// </summary>
    public async Task<StoreIdentity> ReadIdentityAsync(CancellationToken cancellationToken)
    {
        // One at a time (the routing poll, the trace writer and the credential checks all call this): a second caller
        // must not see the new file half adopted, with the new file's -wal remembered as if it were the old one's.
        await _identityGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadIdentityOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _identityGate.Release();
        }
    }

    private async Task<StoreIdentity> ReadIdentityOnceAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Database.Path))
        {
            // Pooled connections would go on writing to the unlinked file, where nothing is ever read again: drop them,
            // so writes fail (and are counted) until a store is back, instead of vanishing.
            LetGo();
            throw new OperationalException($"the store file {Database.Path} is gone (deleted or moved); nothing is read or written until a store is there again");
        }

        try
        {
            var file = FileIdentity.Of(Database.Path);
            if (file is not null && _file is null && _away is { } away && away.File == file && FileIdentity.Born(Database.Path) == away.Born)
            {
                // The file this store read before, moved back (a mv away and back, a mount that came back): same inode
                // and birth time, so not a new file given a freed inode. Its -wal holds commits the closed connections did
                // not checkpoint (SQLite does not checkpoint a file that was moved): it is kept, not set aside.
                (_file, _born, _away) = (file, away.Born, null);
                Database.ClearPool();
            }

            if (file is not null && file != _file)
            {
                // Another file at the path. Before anything opens it, the old file's -wal is set aside: it would be read
                // (and then checkpointed) as if it were the new file's. Renamed before the pool is dropped, so no new
                // connection opens in between; the old connections keep their handles, and on close SQLite sees their
                // file was moved and neither checkpoints nor deletes anything by name.
                _journal.SetAsideIfTheOldFiles(Time.GetUtcNow());
                Database.ClearPool();
            }

            // An empty file (truncated, a botched restore, `: > glidepath.db`) is no store: it is never made into a new,
            // empty one and followed (every request would be a 503 "no stable release"); as for a deleted file, the
            // caller keeps serving from what it has until a store is there again.
            if (IsEmptyFile(Database.Path))
            {
                LetGo();
                throw new OperationalException($"the store file {Database.Path} is now an empty file; nothing is read or written until a store is there again");
            }

            var now = await ReadIdentityAsync(Database, cancellationToken).ConfigureAwait(false);
            if (_identity is { } known && now.StoreId == known.StoreId && file == _file)
            {
                _journal.Remember(); // the file is this store's: so is its -wal
                return Copy(known) with { SchemaVersion = now.SchemaVersion }; // a newer glidepath may have migrated it meanwhile
            }

            if (now.StoreId.Length == 0 && !(await CatalogAsync(Database, cancellationToken).ConfigureAwait(false)).HoldsAStore)
            {
                // A database that holds no store (another program's, or one not migrated): not adopted, not written to.
                LetGo();
                throw new OperationalException($"the store file {Database.Path} was replaced by a database that holds no Glidepath store; nothing is read or written until a store is there again");
            }

            // Another file at the path: pooled connections still hold the old one open, so they go first.
            Database.ClearPool();
            await SqliteMigrator.MigrateAsync(Database, Database.Path, upgrade: false, cancellationToken).ConfigureAwait(false);
            (_file, _born, _away) = (file, FileIdentity.Born(Database.Path), null);
            _identity = await ReadIdentityAsync(Database, cancellationToken).ConfigureAwait(false) with { Generation = (_identity?.Generation ?? 0) + 1 };
            _journal.Remember(); // only once adopted: a file whose migration failed is not this store's yet
            return Copy(_identity);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new OperationalException($"cannot read the store at {Database.Path}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The path names no file this store can read: its connections go (they would write where nothing is read again),
    /// and the file it read last is remembered in case it comes back.
    /// </summary>
    private void LetGo()
    {
        Database.ClearPool();
        if (_file is { } file && _born is { } born)
        {
            _away = (file, born);
        }

        _file = null;
    }

    // The key is an array: a caller that scribbles on its copy must not change the key this store compares and hands out.
    private static StoreIdentity Copy(StoreIdentity identity) => identity with { SubjectKey = (byte[])identity.SubjectKey.Clone() };

    private static async Task<StoreIdentity> ReadIdentityAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(database.UnpooledConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'store_identity'";
        if (Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            // Not migrated yet (a store from before identities, or one being created): no identity to compare.
            return new StoreIdentity("", []);
        }

        // The schema version in the same statement: every poll reads the identity, so a store a newer glidepath migrated
        // under this process is noticed without another round trip.
        cmd.CommandText = "SELECT store_id, subject_key, (SELECT COALESCE(MAX(version), 0) FROM schema_migrations) FROM store_identity WHERE id = 1";
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoreIdentity(reader.GetString(0), Convert.FromHexString(reader.GetString(1))) { SchemaVersion = reader.GetInt32(2), KnownSchemaVersion = KnownVersion }
            : new StoreIdentity("", []);
    }

    /// <summary>The highest schema version this binary knows.</summary>
    private static readonly int KnownVersion = StoreSchema.Version(SqliteMigrator.Known);
}
