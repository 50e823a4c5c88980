using Glidepath.Errors;
using Glidepath.Files;

namespace Glidepath.Tests.Files;

/// <summary>
/// Files a manifest names outside a release (scorer schemas and rubrics, the shadow judge's rubric) are read like
/// release files: inside the app folder only, and bounded. Before, any path was read whole, absolute ones included.
/// </summary>
public sealed class AppFileTests : IDisposable
{
    private readonly TempDir _app = new();
    private readonly TempDir _outside = new();

    public AppFileTests()
    {
        _app.Write("rubrics/judge.md", "Is the answer polite?");
        _outside.Write("secret.txt", "outside secret");
    }

    [Fact]
    public void Read_FileInsideTheFolder_ItsBytes() =>
        Assert.Equal("Is the answer polite?"u8.ToArray(), AppFile.Read(_app.Path, "rubrics/judge.md", "eval.scorers"));

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../secret.txt")]
    [InlineData("rubrics/../../secret.txt")]
    public void Read_PathLeavingTheFolder_RefusedAsOutside(string path)
    {
        var ex = Assert.Throws<BadInputException>(() => AppFile.Read(_app.Path, path, "online.scorers"));

        Assert.Equal($"{path} (named by online.scorers) is outside the app folder (only files inside it are read); expected a path relative to the manifest, inside its folder", ex.Message);
    }

    [Fact]
    public void Read_LinkToAFileOutside_RefusedAsOutside()
    {
        File.CreateSymbolicLink(_app.File("rubrics/leak.md"), _outside.File("secret.txt"));

        var ex = Assert.Throws<BadInputException>(() => AppFile.Read(_app.Path, "rubrics/leak.md", "shadow.pairwise.rubric"));

        Assert.StartsWith("rubrics/leak.md (named by shadow.pairwise.rubric): ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("outside the app folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Missing_DoesNotExist()
    {
        var ex = Assert.Throws<BadInputException>(() => AppFile.Read(_app.Path, "rubrics/none.md", "eval.scorers"));

        Assert.Contains("rubrics/none.md (named by eval.scorers) does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LargerThanARelease_RefusedWithoutReadingItWhole()
    {
        using (var big = new FileStream(_app.File("rubrics/huge.md"), FileMode.CreateNew))
        {
            big.SetLength(Glidepath.Releases.ReleaseBuilder.MaxBytes + 1L);
        }

        var ex = Assert.Throws<BadInputException>(() => AppFile.Read(_app.Path, "rubrics/huge.md", "eval.scorers"));

        Assert.Contains("is larger than a whole release may be", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _app.Dispose();
        _outside.Dispose();
    }
}
