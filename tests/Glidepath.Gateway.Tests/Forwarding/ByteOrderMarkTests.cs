using System.Net;
using System.Net.Http.Headers;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// A JSON body that starts with a UTF-8 byte-order mark (PowerShell and some .NET writers put one first; RFC 8259 lets a
/// parser ignore it) is read as the body without it, on both paths, and the pass-through path does not forward it.
/// </summary>
public sealed class ByteOrderMarkTests
{
    private const string Chat = "/v1/chat/completions", Messages = "/v1/messages";

    [Theory]
    [InlineData("openai", Chat, true)]
    [InlineData("openai", Chat, false)]
    [InlineData("anthropic", Messages, true)]
    [InlineData("openai", Messages, true)]
    public async Task Post_BodyStartingWithAByteOrderMark_ServedAndTheProviderGetsNoMark(string provider, string path, bool passThrough)
    {
        await using var f = await GatewayFixture.CreateAsync(upstream: new GatewayUpstream(provider, PassThrough: passThrough));
        await f.StartAsync();
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. System.Text.Encoding.UTF8.GetBytes(path == Messages ? GatewayFixture.Message() : GatewayFixture.Chat())];
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await f.Http.PostAsync(f.Url + path, content);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var sent = Assert.Single(f.Upstream!.Bodies);
        Assert.StartsWith("{", sent, StringComparison.Ordinal);
    }
}
