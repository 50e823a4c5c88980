namespace Glidepath.Testing;

/// <summary>
/// Makes a SQLite store unreadable the way a failing disk or a bad deploy would: the file's bytes become
/// garbage (permission bits would not stop root, which CI runs as). Keeps a copy to put back.
/// </summary>
internal static class StoreVandal
{
    public static void MakeUnreadable(string path)
    {
        File.Copy(path, path + ".saved", overwrite: true);
        // The log first: a connection closing between the two writes checkpoints the log into the file, and a valid log
        // copied over the garbage would make the file readable again. A garbage log has nothing to copy.
        foreach (var side in new[] { path + "-wal", path + "-shm" })
        {
            if (File.Exists(side))
            {
                using var stream = new FileStream(side, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                var junk = new byte[Math.Max(stream.Length, 32768)];
                Array.Fill(junk, (byte)0x5A);
                stream.Write(junk);
            }
        }

        var length = new FileInfo(path).Length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            var junk = new byte[Math.Max(length, 4096)];
            Array.Fill(junk, (byte)0x5A);
            stream.Write(junk);
        }
    }

    public static void Restore(string path)
    {
        SqlitePools.ClearFile(path);
        foreach (var side in new[] { path + "-wal", path + "-shm" })
        {
            File.Delete(side);
        }

        File.Copy(path + ".saved", path, overwrite: true);
    }
}
