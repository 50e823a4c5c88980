using Glidepath.Storage.Sqlite;

namespace Glidepath.Cli;

/// <summary>
/// A SQLite store a command is about to create where there is none, with the folders it creates for it: said on stderr,
/// and taken back (<see cref="SqliteUnusedStore"/>) when the command fails before writing anything to it.
/// </summary>
internal sealed class NewStore
{
    private NewStore(string path, IReadOnlyList<string> folders, bool emptyFile)
    {
        Path = path;
        Folders = folders;
        EmptyFile = emptyFile;
    }

    /// <summary>The store file's full path.</summary>
    public string Path { get; }

    /// <summary>The folders that do not exist yet and that creating the store creates, deepest first.</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>
    /// A file of 0 bytes was there (SQLite takes it for an empty database): a restored CI cache or a copy that held nothing,
    /// not "none was there" (trial ciflow #7).
    /// </summary>
    public bool EmptyFile { get; }

    /// <summary>The new store at <paramref name="location"/>, a SQLite file path (with or without <c>sqlite:</c>), before it is created.</summary>
    public static NewStore At(string location)
    {
        var path = System.IO.Path.GetFullPath(location.StartsWith(SqliteStoreProvider.Scheme, StringComparison.OrdinalIgnoreCase) ? location[SqliteStoreProvider.Scheme.Length..] : location);
        var folders = new List<string>();
        for (var folder = System.IO.Path.GetDirectoryName(path); folder is not null && !Directory.Exists(folder); folder = System.IO.Path.GetDirectoryName(folder))
        {
            folders.Add(folder);
        }

        var file = new FileInfo(path);
        return new NewStore(path, folders, file.Exists && file.Length == 0);
    }

    /// <summary>The note a command prints once it created the store.</summary>
    public string CreatedNote => EmptyFile
        ? $"note: created a new store in {Path}, an empty file (0 bytes) until now: check --store / GLIDEPATH_STORE if you meant an existing one, and where that empty file came from (a restored cache or a copy that held nothing?)"
        : $"note: created a new store at {Path} (none was there; check --store / GLIDEPATH_STORE if you meant an existing one)"
        + (Folders.Count switch
        {
            0 => "",
            1 => $"; its folder {Folders[0]} did not exist either and was created",
            _ => $"; its folder {Folders[0]} did not exist either: it and the folders above it up to {Folders[^1]} were created",
        });

    /// <summary>Deletes the store, and the folders made for it while they are empty, when nothing was written to it; true when it did.</summary>
    public async Task<bool> RemoveIfUnusedAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path) || !await SqliteUnusedStore.RemoveAsync(Path, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        foreach (var folder in Folders)
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }

        return true;
    }
}
