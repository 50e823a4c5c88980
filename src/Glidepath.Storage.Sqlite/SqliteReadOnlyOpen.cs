using Glidepath.Errors;
using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// Whether a store that a read command failed to open can still be read: a store in a folder this process cannot write
/// (a read-only file system, a backup on read-only media) fails to open in WAL mode, which writes a <c>-shm</c> file
/// beside it even to read. Such a store is opened read-only instead — plainly first (which works when a <c>-shm</c> is
/// already there), then immutable (the file as it is, without its <c>-wal</c>) — and the command says so in a note. A
/// folder that can be written (a full disk, say) is not this case: that failure stands, with its hint.
/// </summary>
internal static class SqliteReadOnlyOpen
{
    /// <summary>How a store's connections open it.</summary>
    public enum Mode
    {
        /// <summary>Read and write (every store but one opened by this fallback).</summary>
        None,

        /// <summary>Read-only, through the <c>-shm</c> and <c>-wal</c> already beside it.</summary>
        ReadOnly,

        /// <summary>Read-only, the main file as it is: no <c>-shm</c> is made and a <c>-wal</c> is not read.</summary>
        Immutable,
    }

    private const int ReadOnlyCode = 8;

    /// <summary>Whether to open the store at <paramref name="path"/> read-only after <paramref name="error"/>, from the file system as it is now.</summary>
    public static bool Applies(string path, Exception error) =>
        Decide(File.Exists(path), FolderAcceptsFiles(Path.GetDirectoryName(Path.GetFullPath(path))!), error);

    /// <summary>
    /// The decision: only a store file that is there, in a folder where no file can be made, that failed the way such a
    /// folder fails (SQLite's cannot open, read-only or I/O error; or a refused file access).
    /// </summary>
    internal static bool Decide(bool fileExists, bool folderWritable, Exception error) =>
        fileExists && !folderWritable && (SqliteFailures.OpenHint(error) is not null || IsReadOnly(error) || error is UnauthorizedAccessException);

    /// <summary>Opens the store read-only: through the -shm already there, else the main file as it is (immutable).</summary>
    public static async Task<SqliteStore> OpenAsync(string path, TimeProvider? time, StoreNaming naming, Exception failure, CancellationToken cancellationToken)
    {
        var unreadWal = 0L;
        SqliteStore store;
        try
        {
            store = await SqliteStore.OpenDatabaseAsync(SqliteDatabase.ReadOnly(path, Mode.ReadOnly), path, time, naming, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException)
        {
            try
            {
                unreadWal = WalBytes(path);
                store = await SqliteStore.OpenDatabaseAsync(SqliteDatabase.ReadOnly(path, Mode.Immutable), path, time, naming, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException)
            {
                throw new OperationalException($"cannot open the store at {path}: {SqliteFailures.Describe(failure)}; it is in a folder this process cannot write, and reading it read-only failed too", failure);
            }
        }

        store.ReadOnlyNote = Note(path, unreadWal);
        return store;
    }

    /// <summary>What the command says when it opened the store read-only; <paramref name="unreadWalBytes"/> is the size of a -wal an immutable open did not read.</summary>
    public static string Note(string path, long unreadWalBytes) =>
        $"note: the store at {path} is in a folder this process cannot write (a read-only file system?), so it was opened read-only; "
        + "a command that writes fails"
        + (unreadWalBytes > 0
            ? $"; its -wal holds {unreadWalBytes} bytes of changes not yet checkpointed into it, which are not shown (copy the store with its -wal to a writable folder to see them)"
            : "");

    /// <summary>The size of the -wal beside <paramref name="path"/> (0 when there is none).</summary>
    public static long WalBytes(string path)
    {
        var wal = new FileInfo(path + "-wal");
        return wal.Exists ? wal.Length : 0;
    }

    private static bool IsReadOnly(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite && (sqlite.SqliteErrorCode & 0xFF) == ReadOnlyCode)
            {
                return true;
            }
        }

        return false;
    }

    // Writing a file is the only test that covers a read-only mount, permissions and ACLs alike (root passes chmod).
    private static bool FolderAcceptsFiles(string folder)
    {
        try
        {
            using var probe = new FileStream(Path.Combine(folder, $".glidepath-write-probe-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
