using Glidepath.Environments;
using Glidepath.Errors;

namespace Glidepath.Tests.Environments;

public sealed class RecordedTextTests
{
    [Theory]
    [InlineData("ok\u001b[2K\rforged", 2)]
    [InlineData("\u0000", 0)]
    [InlineData("line\nbreak", 4)]
    [InlineData("abc\u202Edcba", 3)]
    [InlineData("x\u2066y", 1)]
    [InlineData("ali\u200Bce", 3)]
    [InlineData("a\u061Cb", 1)]
    [InlineData("a\u2028b", 1)]
    public void Reason_WithACharacterThatIsNotPrintable_Exit2NamingIt(string reason, int at)
    {
        var ex = Assert.Throws<BadInputException>(() => RecordedText.Reason(reason));

        Assert.Equal(FailureKind.BadInput, ex.Kind);
        Assert.Contains($"at position {at + 1}", ex.Message, StringComparison.Ordinal);
    }

    // Trial attacker2 LOW 6: 500 emoji were refused as "1000 characters long": the limit counted UTF-16 units.
    [Fact]
    public void Reason_OfCharactersBeyondTheBasicPlane_CountsEachOnce()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F680", RecordedText.MaxReasonLength));

        Assert.Equal(emoji, RecordedText.Reason(emoji));
        var ex = Assert.Throws<BadInputException>(() => RecordedText.Reason(emoji + "\U0001F680"));
        Assert.StartsWith("the reason is 501 characters long", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_OverTheLimit_Exit2NamingItsLengthAndTheLimit_AtTheLimitAccepted()
    {
        var longest = new string('r', RecordedText.MaxReasonLength);

        Assert.Equal(longest, RecordedText.Reason("  " + longest + "  "));
        var ex = Assert.Throws<BadInputException>(() => RecordedText.Reason(longest + "r"));
        Assert.StartsWith("the reason is 501 characters long; at most 500 are accepted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_LoneHalfOfASurrogatePair_Exit2()
    {
        var lone = "a" + (char)0xD800 + "b";
        Assert.Contains("U+D800 at position 2", Assert.Throws<BadInputException>(() => RecordedText.Reason(lone)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_PrintableTextInAnyScript_IsTrimmed_AndBlankIsNull()
    {
        Assert.Equal("refund answers regressed — 退款 ✓ 😀", RecordedText.Reason("  refund answers regressed — 退款 ✓ 😀 "));
        Assert.Null(RecordedText.Reason(" \t "));
        Assert.Null(RecordedText.Reason(null));
    }

    [Fact]
    public void Escaped_WritesUnprintableCharactersAsCodes_KeepingLineBreaksOnlyWhenAsked()
    {
        Assert.Equal("ok\\u001B[2K\\u000Dx", RecordedText.Escaped("ok\u001b[2K\rx"));
        Assert.Equal("a\\u000Ab", RecordedText.Escaped("a\nb"));
        Assert.Equal("a\nb\\u001B", RecordedText.Escaped("a\nb\u001b", keepLineBreaks: true));
        Assert.Same("plain", RecordedText.Escaped("plain"));
    }
}
