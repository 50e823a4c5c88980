using System.Text.Json;
using Glidepath.Evals.Runs;

namespace Glidepath.Tests.Evals.Runs;

public sealed class ToolCallViewTests
{
    [Fact]
    public void Parse_JsonObjectArguments_NameAndArgumentsAsAnObject()
    {
        var view = ToolCallView.Parse("""check_booking({"code":"BK-7781","nights":2})""");

        Assert.Equal("check_booking", view.Name);
        Assert.Equal(JsonValueKind.Object, view.Arguments!.Value.ValueKind);
        Assert.Equal("BK-7781", view.Arguments.Value.GetProperty("code").GetString());
        Assert.Equal(2, view.Arguments.Value.GetProperty("nights").GetInt32());
    }

    [Theory]
    [InlineData("lookup(not json)", "lookup", "not json")]
    [InlineData("lookup([1,2])", "lookup", "[1,2]")]
    public void Parse_ArgumentsNotAJsonObject_KeptAsTheirText(string stored, string name, string text)
    {
        var view = ToolCallView.Parse(stored);

        Assert.Equal(name, view.Name);
        Assert.Equal(text, view.Arguments!.Value.GetString());
    }

    [Theory]
    [InlineData("escalate()", "escalate")]
    [InlineData("escalate", "escalate")]
    public void Parse_NoArguments_NameAndNullArguments(string stored, string name)
    {
        var view = ToolCallView.Parse(stored);

        Assert.Equal(name, view.Name);
        Assert.Null(view.Arguments);
    }
}
