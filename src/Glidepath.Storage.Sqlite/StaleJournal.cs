using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Glidepath.Storage.Sqlite;

/// <summary>
/// SQLite pairs a database with the <c>-wal</c> and <c>-shm</c> files next to it by name alone. When the database file
/// is replaced (a backup put back with <c>mv</c>) while the old file's <c>-wal</c> is still there, the next connection
/// reads the old file's pages out of it on top of the new file, and its checkpoint writes them into the new file: the
/// restored store silently turns back into the old one. So the store keeps a handle on the <c>-wal</c> it saw beside
/// its file at each identity read (the handle also keeps the inode number from being reused), and when the file is
/// replaced, a <c>-wal</c> that is still that same file is set aside (renamed, not deleted) before the new file is opened.
/// Linux only, like <see cref="FileIdentity"/>.
/// </summary>
internal sealed class StaleJournal : IDisposable
{
    private readonly string _walPath;
    private readonly Lock _gate = new();
    private SafeFileHandle? _seen;
    private (ulong Device, ulong Inode)? _seenIdentity;
    private bool _disposed;

    public StaleJournal(string databasePath)
    {
        DatabasePath = databasePath;
        _walPath = databasePath + "-wal";
    }

    public string DatabasePath { get; }

    /// <summary>Takes note of the <c>-wal</c> beside the file now (the file is known to be this store's).</summary>
    public void Remember()
    {
        lock (_gate)
        {
            RememberNow();
        }
    }

    private void RememberNow()
    {
        if (_disposed)
        {
            return;
        }

        var now = FileIdentity.Of(_walPath);
        if (now == _seenIdentity && now is not null)
        {
            return;
        }

        Forget();
        if (now is null)
        {
            return;
        }

        try
        {
            var handle = File.OpenHandle(_walPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var held = FileIdentity.Of($"/proc/self/fd/{handle.DangerousGetHandle()}");
            if (held is null || held != now)
            {
                handle.Dispose(); // replaced between the stat and the open: nothing known
                return;
            }

            _seen = handle;
            _seenIdentity = held;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone again (a checkpoint deleted it): nothing to remember.
        }
    }

    /// <summary>
    /// After the file at the path was found replaced, before this store's pooled connections are dropped (so none
    /// opens the new file in between): renames the <c>-wal</c> and <c>-shm</c> to <c>NAME-wal.stale-TIME</c> if that
    /// <c>-wal</c> is the one remembered beside the old file. Returns the new names (none when the log is not the old
    /// file's).
    /// </summary>
    public IReadOnlyList<string> SetAsideIfTheOldFiles(DateTimeOffset now)
    {
        lock (_gate)
        {
            return SetAsideNow(now);
        }
    }

    private IReadOnlyList<string> SetAsideNow(DateTimeOffset now)
    {
        // The handle stays open until the move is done, so the old -wal's inode cannot be reused by a new file meanwhile.
        try
        {
            if (_seenIdentity is null || FileIdentity.Of(_walPath) != _seenIdentity)
            {
                return [];
            }

            var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var moved = new List<string>();
            foreach (var suffix in new[] { "-wal", "-shm" })
            {
                var from = DatabasePath + suffix;
                if (!File.Exists(from))
                {
                    continue;
                }

                var to = $"{from}.stale-{stamp}";
                for (var n = 2; File.Exists(to); n++)
                {
                    to = $"{from}.stale-{stamp}-{n}";
                }

                File.Move(from, to);
                moved.Add(to);
            }

            return moved;
        }
        finally
        {
            Forget();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Forget();
        }
    }

    private void Forget()
    {
        _seen?.Dispose();
        _seen = null;
        _seenIdentity = null;
    }
}
