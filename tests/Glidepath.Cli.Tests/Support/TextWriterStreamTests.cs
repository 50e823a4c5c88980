using System.Text;
using System.Text.Json;

namespace Glidepath.Cli.Tests.Support;

/// <summary>JSON output goes to stdout in chunks: the same text as one serialized string, characters split across writes intact.</summary>
public sealed class TextWriterStreamTests
{
    [Fact]
    public void Write_MultiByteCharacterSplitAcrossWrites_DecodedWhole()
    {
        var text = "caf\u00e9 \u20ac \U0001F600 \u65e5\u672c";
        var bytes = Encoding.UTF8.GetBytes(text);
        var output = new StringWriter();
        using (var stream = new TextWriterStream(output))
        {
            foreach (var b in bytes)
            {
                stream.Write([b]);
            }
        }

        Assert.Equal(text, output.ToString());
    }

    [Fact]
    public void Json_LargeDocument_SameTextAsOneSerializedString()
    {
        var value = new
        {
            verdict = "pass",
            cases = Enumerable.Range(0, 5000).Select(i => new { case_id = $"case-{i:00000}", output = $"r\u00e9ponse \u20ac{i} \"quoted\" <b>", score = i / 7.0 }).ToList(),
        };
        var stdout = new StringWriter();
        var output = new CliOutput(new CliEnvironment(stdout, new StringWriter(), IsTerminal: false), json: true);

        output.Json(value);

        Assert.Equal(JsonSerializer.Serialize(value, CliOutput.JsonOptions) + stdout.NewLine, stdout.ToString());
        Assert.True(stdout.ToString().Length > 16 * 1024 * 20, "large enough to be written in many chunks");
    }

    [Fact]
    public void Json_FailsPartWay_WhatWasWrittenEndsWithALineBreak()
    {
        var stdout = new StringWriter();
        var output = new CliOutput(new CliEnvironment(stdout, new StringWriter(), IsTerminal: false), json: true);

        Assert.Throws<InvalidOperationException>(() => output.Json(new { cases = Failing() }));

        var text = stdout.ToString();
        Assert.StartsWith("{", text, StringComparison.Ordinal);
        Assert.EndsWith(stdout.NewLine, text, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Failing()
    {
        for (var i = 0; i < 20000; i++)
        {
            yield return $"case-{i:00000} with some text to fill the buffer";
        }

        throw new InvalidOperationException("a value that cannot be written");
    }
}
