using Glidepath.Serving.Tracing;

namespace Glidepath.Serving.Tests.Tracing;

public sealed class AnswerTextTests
{
    [Fact]
    public void OneWholeAnswer_KeptAsTheSameString()
    {
        var text = new AnswerText();
        var answer = string.Concat("Returns are accepted ", "within 30 days.");

        text.Append(answer);

        Assert.Same(answer, text.ToString());
    }

    [Fact]
    public void StreamedPieces_JoinedInOrder_EmptyAndNullPiecesIgnored()
    {
        var text = new AnswerText();

        foreach (var piece in new[] { "Returns ", null, "", "are accepted", " within 30 days." })
        {
            text.Append(piece);
        }

        Assert.Equal("Returns are accepted within 30 days.", text.ToString());
        Assert.Same(text.ToString(), text.ToString());
    }

    [Fact]
    public void ReadThenMoreArrives_TheReadTextAndTheRest()
    {
        var text = new AnswerText();
        text.Append("a");
        text.Append("b");
        Assert.Equal("ab", text.ToString());

        text.Append("c");

        Assert.Equal("abc", text.ToString());
    }

    [Fact]
    public void Nothing_Empty()
    {
        Assert.Equal("", new AnswerText().ToString());
    }
}
