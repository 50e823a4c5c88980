using Glidepath.Traces;

namespace Glidepath.Tests.Traces;

public sealed class ContentRedactorTests
{
    private static readonly string[] AllKinds = ["email", "phone", "credit_card", "ip"];

    [Theory]
    [InlineData("call 415-555-0100.", "call [phone].")]
    [InlineData("Call 415.555.0100. Thanks", "Call [phone]. Thanks")]
    [InlineData("tel.4155550100", "tel.[phone]")]
    [InlineData("tel:+1 415 555 0100", "tel:[phone]")]
    [InlineData("415-555-0100 ext. 23 please", "[phone] please")]
    [InlineData("415-555-0100 x23", "[phone]")]
    [InlineData("415-555-0100 x 23, then", "[phone], then")]
    [InlineData("(415) 555-0100 EXT 7", "[phone]")]
    [InlineData("(415)555-0100 or 415 555 0100 or 1-800-555-0100", "[phone] or [phone] or [phone]")]
    [InlineData("call 555-0100 now", "call [phone] now")]
    [InlineData("Tel: +1 (415) 555-0100 ext 12, fax +1 (415) 555-0101", "Tel: [phone], fax [phone]")]
    [InlineData("+14155550100", "[phone]")]
    [InlineData("+44 20 7946 0958 / +44 (0)20 7946 0958", "[phone] / [phone]")]
    [InlineData("+33 1 23 45 67 89, 06 12 34 56 78, 06.12.34.56.78", "[phone], [phone], [phone]")]
    [InlineData("020 7946 0958 or 0044 20 7946 0958", "[phone] or [phone]")]
    [InlineData("(415-555-0100)", "([phone])")]
    [InlineData("4155550100,4155550101", "[phone],[phone]")]
    [InlineData("请拨打415-555-0100联系", "请拨打[phone]联系")]
    [InlineData("ＴＥＬ ４１５-５５５-０１００", "ＴＥＬ [phone]")]
    public void Redact_PhoneNumber_RedactedAsPhone(string text, string expected) =>
        Assert.Equal(expected, ContentRedactor.Redact(text, AllKinds));

    [Theory]
    [InlineData("write to jane.doe@example.com.", "write to [email].")]
    [InlineData("josé@exämple.com", "[email]")]
    [InlineData("用户@例子.广告", "[email]")]
    [InlineData("contact \"john doe\"@example.com now", "contact [email] now")]
    [InlineData("o'brien@example.ie and bob+tag@mail.example.co.uk", "[email] and [email]")]
    [InlineData("bob@xn--80ak6aa92e.xn--p1ai", "[email]")]
    [InlineData("mailto:bob@example.com?subject=hi", "mailto:[email]?subject=hi")]
    [InlineData("4155550100@example.com", "[email]")]
    public void Redact_EmailAddress_RedactedAsEmail(string text, string expected) =>
        Assert.Equal(expected, ContentRedactor.Redact(text, AllKinds));

    [Theory]
    [InlineData("from 2001:0db8:85a3:0000:0000:8a2e:0370:7334", "from [ip]")]
    [InlineData("from 2001:db8::1.", "from [ip].")]
    [InlineData("::1", "[ip]")]
    [InlineData("mapped ::ffff:192.0.2.1 here", "mapped [ip] here")]
    [InlineData("http://[::1]:8080/", "http://[[ip]]:8080/")]
    [InlineData("fe80::1%eth0", "[ip]%eth0")]
    [InlineData("loopback ::1: down", "loopback [ip]: down")]
    public void Redact_IpV6Address_RedactedAsIp(string text, string expected) =>
        Assert.Equal(expected, ContentRedactor.Redact(text, AllKinds));

    [Theory]
    [InlineData("from 192.168.1.1.", "from [ip].")]
    [InlineData("10.0.0.1:8080 in 10.0.0.0/8", "[ip]:8080 in [ip]/8")]
    [InlineData("range 10.0.0.1-10.0.0.9", "range [ip]-[ip]")]
    [InlineData("255.255.255.255", "[ip]")]
    public void Redact_IpV4Address_RedactedAsIp(string text, string expected) =>
        Assert.Equal(expected, ContentRedactor.Redact(text, AllKinds));

    [Theory]
    [InlineData("card 4111 1111 1111 1111, thanks", "card [credit_card], thanks")]
    [InlineData("4111-1111-1111-1111", "[credit_card]")]
    [InlineData("4111111111111111", "[credit_card]")]
    [InlineData("amex 3782 822463 10005", "amex [credit_card]")]
    [InlineData("4222222222222", "[credit_card]")]
    [InlineData("6304 0000 0000 0000 018", "[credit_card]")]
    public void Redact_CardNumber_RedactedAsCreditCard(string text, string expected) =>
        Assert.Equal(expected, ContentRedactor.Redact(text, AllKinds));

    [Theory]
    [InlineData("on 2026-12-02 at 12:30, or 02.12.2026 10:00, or 12/02/2026")]
    [InlineData("version 1.2.3, build 10.0.19041.1, v1.2.3.4 and 1.2.3.4.5")]
    [InlineData("price $1,299.00, 1,234,567,890 or 12.345.678,90 €")]
    [InlineData("at 2026-12-02T12:30:00Z or 2026-12-02T12:30:00.123+01:00")]
    [InlineData("id 123e4567-e89b-12d3-a456-426614174000 or 12345678-1234-1234-1234-123456789012")]
    [InlineData("42 items, order 1234567, 12345 in 2026")]
    [InlineData("ts=1733097600 and pi 3.14159265358979")]
    [InlineData("ISBN 978-0-306-40615-7")]
    [InlineData("4111 1111 1111 1112 fails the Luhn check")]
    [InlineData("Foo::Bar std::vector a[::2] x[1::2] dead::beef :: at 12:30:45")]
    [InlineData("mac 00:1A:2B:3C:4D:5E")]
    public void Redact_OrdinaryText_Unchanged(string text) =>
        Assert.Equal(text, ContentRedactor.Redact(text, AllKinds));

    [Fact]
    public void Redact_KindsInAnyOrder_EachGetsItsOwnLabel()
    {
        const string text = "card 4111 1111 1111 1111, ip 192.0.2.1, v6 2001:db8::1, phone 415-555-0100, mail bob@example.com";
        const string expected = "card [credit_card], ip [ip], v6 [ip], phone [phone], mail [email]";

        foreach (var kinds in Permutations(AllKinds))
        {
            Assert.Equal(expected, ContentRedactor.Redact(text, kinds));
        }
    }

    [Theory]
    [InlineData("card 4111 1111 1111 1111 or 4111111111111111, call 415-555-0100", "card 4111 1111 1111 1111 or 4111111111111111, call [phone]")]
    [InlineData("ip 192.168.1.1 and ::ffff:192.0.2.1, call 415-555-0100", "ip 192.168.1.1 and ::ffff:192.0.2.1, call [phone]")]
    [InlineData("4155550100@example.com or 4155550100", "4155550100@example.com or [phone]")]
    public void Redact_OnlyPhoneAsked_OtherKindsLeftAsTheyAre(string text, string expected) =>
        Assert.Equal(expected, ContentRedactor.Redact(text, ["phone"]));

    [Theory]
    [InlineData("email", "[email] 415-555-0100 4111 1111 1111 1111 10.0.0.1 ::1")]
    [InlineData("ip", "a@b.co 415-555-0100 4111 1111 1111 1111 [ip] [ip]")]
    [InlineData("credit_card", "a@b.co 415-555-0100 [credit_card] 10.0.0.1 ::1")]
    public void Redact_OneKindAsked_OnlyThatKindRedacted(string kind, string expected) =>
        Assert.Equal(expected, ContentRedactor.Redact("a@b.co 415-555-0100 4111 1111 1111 1111 10.0.0.1 ::1", [kind]));

    [Fact]
    public void Redact_NoKindsAsked_TextUnchanged() =>
        Assert.Equal("bob@example.com 415-555-0100", ContentRedactor.Redact("bob@example.com 415-555-0100", []));

    // Each a megabyte, each without personal data, each built to make a backtracking pattern retry at every position.
    private static readonly Dictionary<string, Func<string>> AdversarialRuns = new()
    {
        ["digits"] = () => new string('1', 1 << 20),
        ["digits and spaces"] = () => Repeat("1 "),
        ["digits and dashes"] = () => Repeat("1-"),
        ["digits and dots"] = () => Repeat("1."),
        ["digits and colons"] = () => Repeat("1:"),
        ["hex and colons"] = () => Repeat("ab:"),
        ["plus signs"] = () => Repeat("+1 "),
        ["at signs"] = () => Repeat("a@"),
        ["a long local part"] = () => new string('a', 1 << 20) + "@",
        ["dotted local parts"] = () => Repeat("a.") + "@x",
        ["open quotes"] = () => Repeat("\"a") + "@x",
        ["phone numbers glued to words"] = () => Repeat("a415-555-0100"),
        ["addresses glued to versions"] = () => Repeat("v1.2.3.4"),
    };

    public static TheoryData<string> AdversarialRunNames => [.. AdversarialRuns.Keys];

    [Theory]
    [MemberData(nameof(AdversarialRunNames))]
    public async Task Redact_MegabyteOfAdversarialText_LeftAsItIsAndThePhoneAfterItRedacted(string name)
    {
        var run = AdversarialRuns[name]();

        // Not a timing assertion: a backtracking pattern takes hours on these inputs, the linear ones well under a
        // second; the bound only turns a hang into a failure.
        var redacted = await Task.Run(() => ContentRedactor.Redact(run + " call 415-555-0100", AllKinds)).WaitAsync(TimeSpan.FromMinutes(1));

        var expected = run + " call [phone]";
        var firstDifference = redacted.AsSpan().CommonPrefixLength(expected);
        Assert.True(redacted == expected, $"redacted differently from character {firstDifference}: '{redacted[firstDifference..Math.Min(redacted.Length, firstDifference + 40)]}'");
    }

    private static string Repeat(string unit) => string.Concat(Enumerable.Repeat(unit, (1 << 20) / unit.Length));

    private static IEnumerable<string[]> Permutations(string[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (string[])[item, .. rest]));
}
