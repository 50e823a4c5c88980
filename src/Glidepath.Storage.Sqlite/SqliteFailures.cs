using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// SQLite's transient failures: BUSY (5) and LOCKED (6), with their extended codes (BUSY_SNAPSHOT, LOCKED_SHAREDCACHE, …,
/// whose low byte is the primary code). Another connection (a <c>BEGIN EXCLUSIVE</c> kept open, a long command writing)
/// held the write lock for longer than the connection's busy timeout; the same write succeeds once it lets go. And the
/// failures to open or read a store that a full disk or an unwritable folder causes, which SQLite words without a hint.
/// </summary>
internal static class SqliteFailures
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int IoError = 10;
    private const int Full = 13;
    private const int CannotOpen = 14;

    /// <summary>The failure's message, with <see cref="OpenHint"/> after it when there is one.</summary>
    public static string Describe(Exception error) => OpenHint(error) is { } hint ? $"{error.Message.TrimEnd('.')}; {hint}" : error.Message;

    /// <summary>
    /// What to check when opening or reading a store failed with <paramref name="error"/>: SQLite's "disk I/O error" (10),
    /// "database or disk is full" (13) and "unable to open database file" (14) are what a full disk or a store whose
    /// file or folder cannot be written gives, even to a command that only reads (WAL mode writes a -shm file beside the
    /// store to read it); null for any other failure.
    /// </summary>
    public static string? OpenHint(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite && (sqlite.SqliteErrorCode & 0xFF) is IoError or Full or CannotOpen)
            {
                return "the disk may be full or the store's folder not writable: check free disk space, and that the store file "
                    + "and its folder are writable (SQLite writes -wal and -shm files beside the store, even to read it)";
            }
        }

        return null;
    }

    /// <summary>
    /// The failure's message for a command's report, with what to check: another process held the write lock (BUSY,
    /// LOCKED), or otherwise the disk and the store file (<see cref="OpenHint"/>'s words when they apply).
    /// </summary>
    public static string Explain(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message.ReplaceLineEndings(" ").Trim().TrimEnd('.');
        var hint = IsBusy(error) ? "another process held the store's write lock for longer than the busy timeout; retry"
            : OpenHint(error) ?? "check free disk space and that the store file is writable";
        return $"{message}; {hint}";
    }

    public static bool IsBusy(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SqliteException sqlite && (IsBusyCode(sqlite.SqliteErrorCode) || IsBusyCode(sqlite.SqliteExtendedErrorCode)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsBusyCode(int code) => (code & 0xFF) is Busy or Locked;
}
