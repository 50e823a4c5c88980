namespace Glidepath.Storage.Sqlite;

/// <summary>
/// Creates an empty file readable and writable by its owner only (0600 on Unix) from its first byte, whatever the
/// umask: a store file and a backup of one hold the subject-hashing secret, key and token hashes and captured request
/// content. SQLite, opening the file afterwards, gives the <c>-wal</c>, <c>-shm</c> and <c>-journal</c> files it creates
/// next to it the same mode.
/// </summary>
internal static class OwnerOnlyFile
{
    /// <summary>
    /// Creates <paramref name="path"/> empty with mode 0600; false when a file is already there (made by another process
    /// first, say), which is left as it is. On Windows nothing is created here (SQLite creates the file, with the
    /// folder's access rules).
    /// </summary>
    public static bool TryCreateNew(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }
}
