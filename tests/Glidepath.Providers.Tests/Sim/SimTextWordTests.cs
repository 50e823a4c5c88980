using System.Text.RegularExpressions;
using Glidepath.Providers.Sim;

namespace Glidepath.Providers.Tests.Sim;

/// <summary>The sim's word search, which replaced a regex built per call, finds exactly what \bword\b finds.</summary>
public sealed class SimTextWordTests
{
    [Theory]
    [InlineData("Call lookup_order for order questions.", "lookup_order", true)]
    [InlineData("Call lookup_orders first.", "lookup_order", false)]
    [InlineData("use my-tool now", "my-tool", true)]
    [InlineData("use xmy-tool now", "my-tool", false)]
    [InlineData("-tool at start", "-tool", false)] // \b needs a word character on one side
    [InlineData("a-tool inside", "-tool", true)]
    [InlineData("lookup_order", "lookup_order", true)]
    [InlineData("", "x", false)]
    [InlineData("café_lookup", "lookup", false)]
    public void ContainsWord_Examples(string text, string word, bool expected) =>
        Assert.Equal(expected, SimText.ContainsWord(text, word));

    [Fact]
    public void ContainsWord_AgreesWithTheRegexOnGeneratedText()
    {
        const string alphabet = "ab_-1 .é\u0301";
        var random = new Random(42);
        string Make(int max) => new([.. Enumerable.Range(0, random.Next(1, max)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        for (var i = 0; i < 20_000; i++)
        {
            var text = Make(14);
            var word = Make(4);
            var regex = Regex.IsMatch(text, @"\b" + Regex.Escape(word) + @"\b");
            Assert.True(regex == SimText.ContainsWord(text, word), $"'{text}' / '{word}': regex {regex}");
        }
    }
}
