using Glidepath.Errors;
using Glidepath.Git;

namespace Glidepath.Tests.Git;

public sealed class GitRevisionOptionTests
{
    // Review: a revision is passed to git as an argument; one starting with '-' would be read as an option.
    [Theory]
    [InlineData("--output=/tmp/x")]
    [InlineData("-h")]
    public async Task OpenAsync_RevisionStartingWithADash_IsBadInputBeforeGitRuns(string rev)
    {
        var e = await Assert.ThrowsAsync<BadInputException>(() => GitRevisionFileSource.OpenAsync(Path.GetTempPath(), rev, CancellationToken.None));

        Assert.Equal($"git revision '{rev}' starts with '-'; expected a commit, branch or tag", e.Message);
    }
}
