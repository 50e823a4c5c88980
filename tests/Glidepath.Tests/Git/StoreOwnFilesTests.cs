using Glidepath.Git;

namespace Glidepath.Tests.Git;

/// <summary>Which paths the dirty check of a release leaves out: the store's own files inside the app's folder, nothing else.</summary>
public sealed class StoreOwnFilesTests
{
    private static readonly string App = Path.Combine(Path.GetTempPath(), "store-own-files", "app");

    [Fact]
    public void Under_NoStoreFile_OnlyTheDefaultFolder() =>
        Assert.Equal([".glidepath"], StoreOwnFiles.Under(App, null));

    [Fact]
    public void Under_StoreFileInsideTheAppFolder_ItAndItsSqliteFilesWithSlashes() =>
        Assert.Equal([".glidepath", "data/gp.db", "data/gp.db-wal", "data/gp.db-shm", "data/gp.db-journal"],
            StoreOwnFiles.Under(App, Path.Combine(App, "data", "gp.db")));

    [Fact]
    public void Under_StoreFileInTheDefaultFolder_TheFolderCoversIt() =>
        Assert.Equal([".glidepath"], StoreOwnFiles.Under(App, Path.Combine(App, ".glidepath", "other.db")));

    [Theory]
    [InlineData("..", "gp.db")]
    [InlineData("..", "app-sibling", "gp.db")]
    [InlineData("..", "..", "elsewhere", "gp.db")]
    public void Under_StoreFileOutsideTheAppFolder_OnlyTheDefaultFolder(params string[] relative) =>
        Assert.Equal([".glidepath"], StoreOwnFiles.Under(App, Path.GetFullPath(Path.Combine([App, .. relative]))));

    [Fact]
    public void Under_TheAppFolderItselfAsTheStore_OnlyTheDefaultFolder() =>
        Assert.Equal([".glidepath"], StoreOwnFiles.Under(App, App));
}
