using System.Globalization;
using Glidepath.Errors;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// <c>glidepath store backup</c> for a SQLite store: SQLite's online backup API copies the database as one consistent
/// snapshot, the commits still in its <c>-wal</c> included, while gateways go on reading and writing it (a <c>cp</c> of
/// the file alone silently drops what the <c>-wal</c> holds). The copy is written beside the target, checked
/// (<c>integrity_check</c>, the same store id) and only then moved to the target's name; nothing is migrated, so a
/// backup taken before <c>store migrate</c> keeps the old schema.
/// </summary>
internal static class SqliteBackup
{
    public static async Task<StoreBackup> RunAsync(string path, string file, bool force, StoreNaming naming, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        SqliteStore.RefuseAFolder(path, naming);
        if (!File.Exists(path) || SqliteStore.IsEmptyFile(path))
        {
            throw naming.NoStore(path);
        }

        var target = Path.GetFullPath(file);
        if (Directory.Exists(target))
        {
            throw new BadInputException($"{file} is a folder; expected the path of the backup file, e.g. {Path.Combine(file, "glidepath-backup.db")}");
        }

        if (IsTheStore(target, path))
        {
            throw new BadInputException($"{file} is the store itself; choose another file");
        }

        if (File.Exists(target) && !force)
        {
            throw new BadInputException($"{file} exists; nothing was written. Choose another file, or pass --force to replace it");
        }

        var partial = target + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            string storeId;
            int version;
            await using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString()))
            {
                try
                {
                    await source.OpenAsync(cancellationToken).ConfigureAwait(false);
                    (storeId, version) = await IdentityAsync(source, path, naming, cancellationToken).ConfigureAwait(false);
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == 26) // SQLITE_NOTADB
                {
                    throw naming.NotADatabase(path, ex);
                }

                // The copy holds what the store holds (the subject-hashing secret, key and token hashes, captured
                // content): it is created owner-only before SQLite writes a byte to it, as the store is.
                if (!OperatingSystem.IsWindows() && !OwnerOnlyFile.TryCreateNew(partial))
                {
                    throw new OperationalException($"{partial} appeared while the backup was starting; nothing was kept at {file}. Run the backup again");
                }

                await using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
                await copy.OpenAsync(cancellationToken).ConfigureAwait(false);

                // One step: the source's read snapshot is held for the whole copy, so it is one consistent state even
                // while another connection commits.
                source.BackupDatabase(copy);
            }

            await using (var check = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString()))
            {
                await check.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (var integrity = check.CreateCommand())
                {
                    integrity.CommandText = "PRAGMA integrity_check";
                    var result = Convert.ToString(await integrity.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
                    if (result != "ok")
                    {
                        throw new OperationalException($"the copy of {path} failed SQLite's integrity check ({result}); nothing was kept at {file}");
                    }
                }

                var (copiedId, copiedVersion) = await IdentityAsync(check, partial, naming, cancellationToken).ConfigureAwait(false);
                if (copiedId != storeId || copiedVersion != version)
                {
                    throw new OperationalException($"the copy of {path} does not read back as the same store (store id or schema version differ); nothing was kept at {file}");
                }

                // The copy is left as one file: no -wal beside it to lose when it is moved or copied.
                await using var journal = check.CreateCommand();
                journal.CommandText = "PRAGMA journal_mode = DELETE";
                await journal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(partial, target, overwrite: force);
            return new StoreBackup(path, file, storeId, version, new FileInfo(target).Length);
        }
        finally
        {
            foreach (var leftover in new[] { partial, partial + "-wal", partial + "-shm", partial + "-journal" })
            {
                File.Delete(leftover);
            }
        }
    }

    /// <summary>
    /// True when <paramref name="target"/> names the store's own file: the same path, or, through a linked folder, a
    /// link or a hard link, the same (device, inode). Moving the copy there would replace the live store (and leave its
    /// <c>-wal</c> beside a file it does not belong to), so the strings of the two paths are not enough.
    /// </summary>
    private static bool IsTheStore(string target, string path) =>
        string.Equals(target, Path.GetFullPath(path), StringComparison.Ordinal)
        || (FileIdentity.Of(target) is { } copy && FileIdentity.Of(path) is { } store && copy == store);

    private static async Task<(string StoreId, int Version)> IdentityAsync(SqliteConnection connection, string path, StoreNaming naming, CancellationToken cancellationToken)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
        if (Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) != 1)
        {
            throw naming.AnotherProgramsDatabase(path);
        }

        // A store older than migration 0012 has no identity yet: its id reads as "(none)".
        cmd.CommandText = """
            SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'store_identity')
                   THEN 1 ELSE 0 END, (SELECT COALESCE(MAX(version), 0) FROM schema_migrations)
            """;
        bool hasIdentity;
        int version;
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (hasIdentity, version) = (reader.GetInt32(0) == 1, reader.GetInt32(1));
        }

        if (!hasIdentity)
        {
            return ("(none)", version);
        }

        cmd.CommandText = "SELECT store_id FROM store_identity WHERE id = 1";
        return (Convert.ToString(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) ?? "(none)", version);
    }
}
