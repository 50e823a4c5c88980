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
    public void HashWith_DoesNotContainTheKey_AndIsStableForOneStoreKey()
    {
        var key = new SubjectKey("alice@example.com", SubjectKey.FromSubjectHeader);
        var hasher = new SubjectHasher([1, 2, 3, 4]);

        Assert.DoesNotContain("alice", key.HashWith(hasher), StringComparison.Ordinal);
        Assert.Equal(16, key.HashWith(hasher)!.Length);
        Assert.Equal(key.HashWith(hasher), new SubjectHasher([1, 2, 3, 4]).Hash("alice@example.com"));
    }

    [Theory]
    [InlineData("alice@example.com", "ea09077ce6dc6a2b")]
    [InlineData("zoë-ünïcode", "7c4364a05e96345a")]
    [InlineData(null, "62bd71d190b7a7bc")] // 600 x's: longer than the stack buffer
    public void Hash_IsHmacSha256OfPrefixedUtf8Key_First16HexDigits(string? subject, string expected)
    {
        // Worked out with Python's hmac module: hmac.new(bytes([1,2,3,4]), ("subject:" + s).encode(), sha256).hexdigest()[:16].
        // Traces already stored carry these hashes, so they must never change.
        Assert.Equal(expected, new SubjectHasher([1, 2, 3, 4]).Hash(subject ?? new string('x', 600)));
    }

    [Fact]
    public void HashWith_AnotherStoreKey_AnotherHash()
    {
        // Keyed by the store's secret: a dictionary of emails hashed without it matches nothing.
        var key = new SubjectKey("alice@example.com", SubjectKey.FromSubjectHeader);

        Assert.NotEqual(key.HashWith(new SubjectHasher([1])), key.HashWith(new SubjectHasher([2])));
        Assert.NotEqual(key.HashWith(new SubjectHasher([1])), key.HashWith(new SubjectHasher([])));
    }

    [Fact]
    public void HashWith_PerRequestKey_Null()
    {
        Assert.Null(new SubjectKey("r", SubjectKey.PerRequest).HashWith(new SubjectHasher([1])));
    }

    [Fact]
    public void Rekey_HashesWithTheNewKeyFromThenOn()
    {
        var hasher = new SubjectHasher([1]);
        var before = hasher.Hash("bob");

        hasher.Rekey([2]);

        Assert.NotEqual(before, hasher.Hash("bob"));
        Assert.Equal(new SubjectHasher([2]).Hash("bob"), hasher.Hash("bob"));
    }
}
