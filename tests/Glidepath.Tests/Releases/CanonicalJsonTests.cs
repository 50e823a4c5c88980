using System.Text.Json.Nodes;
using Glidepath.Releases;

namespace Glidepath.Tests.Releases;

public sealed class CanonicalJsonTests
{
    [Fact]
    public void Serialize_KeysInAnyOrder_SortedByOrdinal()
    {
        var a = JsonNode.Parse("""{"b":1,"a":{"z":true,"Z":false},"_":null}""");
        var b = JsonNode.Parse("""{"_":null,"a":{"Z":false,"z":true},"b":1}""");

        Assert.Equal("""{"_":null,"a":{"Z":false,"z":true},"b":1}""", CanonicalJson.Serialize(a));
        Assert.Equal(CanonicalJson.Serialize(a), CanonicalJson.Serialize(b));
    }

    [Theory]
    [InlineData("1.0", "1")]
    [InlineData("1e2", "100")]
    [InlineData("0.20", "0.2")]
    [InlineData("-0.0", "0")]
    [InlineData("2.5E-3", "0.0025")]
    [InlineData("800", "800")]
    [InlineData("-7", "-7")]
    public void NormaliseNumber_EquivalentSpellings_OneForm(string input, string expected) =>
        Assert.Equal(expected, CanonicalJson.NormaliseNumber(input));

    [Fact]
    public void Serialize_Whitespace_Removed_StringsKeptByteForByte()
    {
        var node = JsonNode.Parse("{ \"text\" : \"line1\\r\\nline2 é\" ,\n \"n\": [ 1 , 2 ] }");

        Assert.Equal("{\"n\":[1,2],\"text\":\"line1\\r\\nline2 é\"}", CanonicalJson.Serialize(node));
    }
}
