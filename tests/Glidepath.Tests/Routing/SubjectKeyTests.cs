using Glidepath.Routing;

namespace Glidepath.Tests.Routing;

public sealed class SubjectKeyTests
{
    [Fact]
    public void Choose_AllPresent_SubjectHeaderWins()
    {
        var key = SubjectKey.Choose("s", "u", "m", "c", "r");
        Assert.Equal(("s", SubjectKey.FromSubjectHeader), (key.Value, key.Source));
    }

    [Fact]
    public void Choose_NoSubjectHeader_OpenAiUserBeforeAnthropicUserId()
    {
        var key = SubjectKey.Choose(null, "u", "m", "c", "r");
        Assert.Equal(("u", SubjectKey.FromOpenAiUser), (key.Value, key.Source));
    }

    [Fact]
    public void Choose_OnlyMetadataAndConversation_MetadataUserIdWins()
    {
        var key = SubjectKey.Choose("", null, "m", "c", "r");
        Assert.Equal(("m", SubjectKey.FromAnthropicUserId), (key.Value, key.Source));
    }

    [Fact]
    public void Choose_OnlyConversation_ConversationIsTheKey()
    {
        var key = SubjectKey.Choose(null, null, null, "c", "r");
        Assert.Equal(("c", SubjectKey.FromConversationHeader), (key.Value, key.Source));
        Assert.True(key.IsSticky);
    }

    [Fact]
    public void Choose_Nothing_PerRequestAndNotSticky()
    {
        var key = SubjectKey.Choose(null, null, null, null, "r");
        Assert.Equal(("r", SubjectKey.PerRequest), (key.Value, key.Source));
        Assert.False(key.IsSticky);
    }

    [Fact]
    public void Hash_DoesNotContainTheKey_AndIsStable()
    {
        var key = new SubjectKey("alice@example.com", SubjectKey.FromSubjectHeader);
        Assert.DoesNotContain("alice", key.Hash(), StringComparison.Ordinal);
        Assert.Equal(16, key.Hash().Length);
        Assert.Equal(key.Hash(), SubjectHash.Of("alice@example.com"));
    }
}
