using System.Text.Json;
using Glidepath.Providers.Sim;

namespace Glidepath.Providers.Tests.Sim;

public sealed class SimToolArgumentsTests
{
    private static JsonElement Schema(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Fill_IdentifierShapedLikeExample_FoundAndUpperCased()
    {
        var (args, missing) = SimToolArguments.Fill(
            Schema("""{"type":"object","properties":{"order_id":{"type":"string","description":"The order number, e.g. NW-48213"}},"required":["order_id"]}"""),
            "my order nw-90211 never came");
        Assert.Null(missing);
        Assert.Equal("NW-90211", args!["order_id"]);
    }

    [Fact]
    public void Fill_RequiredIdentifierMissing_NamesWhatToAskFor()
    {
        var (args, missing) = SimToolArguments.Fill(
            Schema("""{"type":"object","properties":{"order_id":{"type":"string","description":"The order number, e.g. NW-48213"}},"required":["order_id"]}"""),
            "where is my parcel?");
        Assert.Null(args);
        Assert.Equal("the order number", missing);
    }

    [Fact]
    public void Fill_EnumNamedInMessage_ChosenOptionalOmittedFreeTextFromMessage()
    {
        var (args, _) = SimToolArguments.Fill(
            Schema("""{"type":"object","properties":{"reason":{"type":"string"},"priority":{"type":"string","enum":["normal","urgent"]},"note":{"type":"string"}},"required":["reason"]}"""),
            "This is urgent, I need a human now");
        Assert.Equal("urgent", args!["priority"]);
        Assert.Equal("This is urgent, I need a human now", args["reason"]);
        Assert.False(args.ContainsKey("note"));
    }
}
