using System.Text;
using Glidepath.Gateway.Wire;

namespace Glidepath.Gateway.Tests.Wire;

/// <summary>The body-wide text check: invalid Unicode anywhere is found, valid escapes (pairs, escaped backslashes) are not.</summary>
public sealed class JsonTextTests
{
    [Theory]
    [InlineData("""{"a":"plain"}""")]
    [InlineData("""{"a":"caf\u00e9 \ud83d\ude00 \uD83D\uDE00"}""")]
    [InlineData("""{"a":"\\ud800"}""")] // a literal backslash, then "ud800"
    [InlineData("""{"a":"\\\\\ud83d\ude00"}""")] // two literal backslashes, then a pair
    [InlineData("""{"a":"\"\u0041\\"}""")]
    [InlineData("""{"a":"é ☃ 👩‍👩‍👧"}""")]
    [InlineData("""{"a":"\u""")] // not JSON (cut short): the parser refuses it after this check, which must not throw
    [InlineData("""{"a":"\u12""")]
    public void FindInvalid_ValidText_MinusOne(string json)
    {
        Assert.Equal(-1, JsonText.FindInvalid(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("""{"a":"lone \udc00"}""", 11)]
    [InlineData("""{"a":"\ud800"}""", 6)]
    [InlineData("""{"a":"\ud800x"}""", 6)]
    [InlineData("""{"a":"\ud800\u0041"}""", 6)]
    [InlineData("""{"a":"\ud83d\ude00\ude00"}""", 18)]
    [InlineData("""{"a":"\\\ud800"}""", 8)] // a literal backslash, then a lone high half
    [InlineData("""{"\udfff":1}""", 2)] // in a property name too
    [InlineData("""{"a":"\ud800\u""", 6)] // not JSON: a high half before an escape cut short
    public void FindInvalid_UnpairedSurrogateEscape_ItsOffset(string json, int offset)
    {
        Assert.Equal(offset, JsonText.FindInvalid(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData(new byte[] { 0xff }, 7)]
    [InlineData(new byte[] { 0xc3 }, 7)] // a lead byte without its continuation
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 }, 7)] // a surrogate encoded as UTF-8
    public void FindInvalid_BytesNotUtf8_TheirOffset(byte[] bad, int offset)
    {
        byte[] json = [.. "{\"a\":\"x"u8, .. bad, .. "\"}"u8];

        Assert.Equal(offset, JsonText.FindInvalid(json));
    }
}
