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

    // Review of newcomer4 L6 (H1): the gateway's did-you-mean passes a key of an untrusted body; a 4-million-character key
    // allocated a matrix the size of both names. A name further in length than the edits allowed is never computed.
    [Fact]
    public void Of_TypedNameFarLongerThanAnyKnown_NullWithoutComputingADistance()
    {
        var typed = new string('m', 20_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var close = ClosestName.Of(typed, ["messages", "model"]);

        Assert.Null(close);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16_384, "a distance matrix was allocated for a name 20,000 characters long");
    }
}
