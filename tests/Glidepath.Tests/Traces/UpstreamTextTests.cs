using Glidepath.Traces;

namespace Glidepath.Tests.Traces;

public sealed class UpstreamTextTests
{
    [Theory]
    [InlineData("Incorrect API key provided: sk-proj-abcdefghijklmnop. You can find your key at …", "Incorrect API key provided: [secret]. You can find your key at …")]
    [InlineData("header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc rejected", "header [secret] rejected")]
    [InlineData("{\"api_key\": \"abcdef123456\"}", "{\"[secret]\"}")]
    [InlineData("quota exceeded for alice@example.com\n\n  try later", "quota exceeded for [email] try later")]
    [InlineData("card 4111 1111 1111 1111 declared by 192.0.2.1, call 415-555-0100.", "card [credit_card] declared by [ip], call [phone].")]
    [InlineData("   ", null)]
    public void Scrub_ProviderMessage_NoKeysNoPersonalDataFoldedWhitespace(string message, string? expected) =>
        Assert.Equal(expected, UpstreamText.Scrub(message));

    [Fact]
    public void Scrub_LongMessage_CutAtTheLimit()
    {
        var scrubbed = UpstreamText.Scrub(new string('x', 5000))!;

        Assert.Equal(UpstreamText.MaxLength, scrubbed.Length);
        Assert.EndsWith("…", scrubbed, StringComparison.Ordinal);
    }
}
