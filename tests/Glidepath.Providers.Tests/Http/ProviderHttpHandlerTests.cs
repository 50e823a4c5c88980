using System.Net.Http.Headers;
using Glidepath.Providers.Http;

namespace Glidepath.Providers.Tests.Http;

public sealed class ProviderHttpHandlerTests
{
    [Theory]
    [InlineData("""{"error":{"message":"model not found","type":"invalid_request_error"}}""", "invalid_request_error: model not found")]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", "overloaded_error: Overloaded")]
    [InlineData("""{"error":"no such model"}""", "no such model")]
    [InlineData("""{"message":"bad gateway"}""", "bad gateway")]
    [InlineData("<html>502 Bad Gateway</html>", "<html>502 Bad Gateway</html>")]
    [InlineData("", "Bad Gateway")]
    public void ErrorMessage_ProviderBodies_TheirOwnMessage(string body, string expected) =>
        Assert.Equal(expected, ProviderHttpHandler.ErrorMessage(body, "Bad Gateway"));

    [Fact]
    public void RetryAfter_SecondsDateAndMilliseconds_Parsed()
    {
        var now = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage();
        seconds.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        using var date = new HttpResponseMessage();
        date.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(30));
        using var ms = new HttpResponseMessage();
        ms.Headers.TryAddWithoutValidation("retry-after-ms", "250");
        using var none = new HttpResponseMessage();

        Assert.Equal(TimeSpan.FromSeconds(7), ProviderHttpHandler.RetryAfter(seconds.Headers, now));
        Assert.Equal(TimeSpan.FromSeconds(30), ProviderHttpHandler.RetryAfter(date.Headers, now));
        Assert.Equal(TimeSpan.FromMilliseconds(250), ProviderHttpHandler.RetryAfter(ms.Headers, now));
        Assert.Null(ProviderHttpHandler.RetryAfter(none.Headers, now));
    }

    [Fact]
    public void Scrub_KeyAndItsFragments_Redacted()
    {
        const string key = "sk-proj-ABCDEFGH12345678XYZ";
        var text = ApiKey.Scrub($"bad key {key}; shown as sk-proj-A...678XYZ", key);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
        Assert.DoesNotContain("678XYZ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-proj-", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("key: 7F3C9A2B4D5E6F708192A3B4C5D6E7F8", "key: [redacted]")]
    [InlineData("key 7f3c9a2b...c5d6e7f8 prefix 7f3c9a2b4d5e6f708192a3b4", "key [redacted]...[redacted] prefix [redacted]")]
    [InlineData("middle 4d5e6f708192 end", "middle [redacted] end")]
    [InlineData("shown as ...C5D6E7F8 and d6e7f8", "shown as ...[redacted] and [redacted]")]
    [InlineData("seven 7f3c9a2 and 192a3b4 stay", "seven 7f3c9a2 and 192a3b4 stay")]
    public void Scrub_FragmentsOfEightOrMoreInAnyCase_Redacted(string said, string expected) =>
        // Attack trial D, finding 6: a long echoed prefix left 16 of 32 characters, an upper-cased copy all of them.
        Assert.Equal(expected, ApiKey.Scrub(said, "7f3c9a2b4d5e6f708192a3b4c5d6e7f8"));
}
