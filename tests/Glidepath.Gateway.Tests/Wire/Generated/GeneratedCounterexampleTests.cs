using Glidepath.Gateway.Wire;

namespace Glidepath.Gateway.Tests.Wire.Generated;

/// <summary>Counterexamples the generated suite found (shrunk), kept as ordinary tests.</summary>
public sealed class GeneratedCounterexampleTests
{
    /// <summary>
    /// Found against the parser before the hardening (FormatException, ArgumentException → 500), shrunk by CsCheck to one
    /// mutation, then trimmed by hand to the field that mattered.
    /// </summary>
    [Theory]
    [InlineData("openai", """{"model":"support-agent","messages":[{"role":"user","content":"hi"}],"seed":7,"seed":1E-400}""")]
    [InlineData("openai", """{"model":"support-agent","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"","detail":"low"}}]}]}""")]
    [InlineData("anthropic", """{"model":"support-agent","max_tokens":64,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"aaaaa"}}]}]}""")]
    [InlineData("anthropic", """{"model":"support-agent","max_tokens":32,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"aaaa"}}]}]}""")]
    [InlineData("anthropic", """{"model":"support-agent","max_tokens":64,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"aaaa","data":"iVBORw0KGgo="}}]}]}""")]
    public void Parse_ShrunkCounterexample_AcceptedOrRefusedWith4xx(string format, string body)
    {
        IWireFormat wire = format == "openai" ? OpenAiWire.Instance : AnthropicWire.Instance;

        Assert.Null(GeneratedBodyTests.ParseProblem(wire, body));
    }

    [Fact]
    public void Parse_ValidStartingBodies_AllAccepted()
    {
        foreach (var body in ValidBodies.OpenAi)
        {
            Assert.NotNull(Glidepath.Gateway.Forwarding.RequestReader.Parse(System.Text.Encoding.UTF8.GetBytes(body), OpenAiWire.Instance));
        }

        foreach (var body in ValidBodies.Anthropic)
        {
            Assert.NotNull(Glidepath.Gateway.Forwarding.RequestReader.Parse(System.Text.Encoding.UTF8.GetBytes(body), AnthropicWire.Instance));
        }
    }
}
