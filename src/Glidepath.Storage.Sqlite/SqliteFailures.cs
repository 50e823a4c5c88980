using Microsoft.Data.Sqlite;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// SQLite's transient failures: BUSY (5) and LOCKED (6), with their extended codes (BUSY_SNAPSHOT, LOCKED_SHAREDCACHE, …,
/// whose low byte is the primary code). Another connection (a <c>BEGIN EXCLUSIVE</c> kept open, a long command writing)
/// held the write lock for longer than the connection's busy timeout; the same write succeeds once it lets go.
/// </summary>
internal static class SqliteFailures
{
    private const int Busy = 5;
    private const int Locked = 6;

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
