using Glidepath.Errors;

namespace Glidepath.Tests.Errors;

public sealed class ClosestNameTests
{
    [Theory]
    [InlineData("memberlevel", "member_level")]
    [InlineData("find_ordr", "find_order")]
    [InlineData("Member_Level", "member_level")]
    [InlineData("relase", "release")]
    public void Of_ATypoOfAKnownName_NamesIt(string typed, string meant) =>
        Assert.Equal(meant, ClosestName.Of(typed, ["kb_url", meant, "customer_tier"]));

    [Theory]
    [InlineData("expected")]
    [InlineData("question")]
    [InlineData("kb_url")]
    public void Of_NothingCloseOrTheNameItself_Null(string typed) =>
        Assert.Null(ClosestName.Of(typed, ["kb_url", "member_level"]));

    [Fact]
    public void Of_ShortName_OnlyOneEditAway() =>
        Assert.Null(ClosestName.Of("ab", ["xy"]));
}
