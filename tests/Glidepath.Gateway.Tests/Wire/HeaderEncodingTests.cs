using System.Net.Sockets;
using System.Text;
using Glidepath.Gateway.Tests.Keys;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Wire;

/// <summary>
/// A header value whose bytes are not UTF-8 (a Latin-1 <c>é</c>, <c>\xff</c>) got Kestrel's empty 400, not the caller's
/// wire format (trial attacker2 #7). The headers the gateway reads are refused in the caller's format, naming the header
/// and not its value; one that matches nothing (a key) is refused as such, with a body; valid UTF-8 is read as before.
/// Sent over a raw socket (HttpClient will not send such bytes), as HTTP/1.0 so the answer's body is not chunked.
/// </summary>
public sealed class HeaderEncodingTests : IAsyncLifetime
{
    private static readonly byte[] Latin1Cafe = [(byte)'c', (byte)'a', (byte)'f', 0xE9];

    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();
        await _f.StartAsync();
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Theory]
    [InlineData(CallerKeyTests.OpenAi, "Glidepath-Var-customer_tier")]
    [InlineData(CallerKeyTests.Anthropic, "Glidepath-Var-customer_tier")]
    [InlineData(CallerKeyTests.OpenAi, "Glidepath-Subject")]
    [InlineData(CallerKeyTests.Anthropic, "x-api-key")]
    [InlineData(CallerKeyTests.OpenAi, "Authorization")]
    public async Task Chat_HeaderValueNotUtf8_400InTheCallersFormatNamingTheHeader_AndNoProviderCall(string path, string header)
    {
        var value = header == "Authorization" ? [.. "Bearer gpk_"u8, 0xFF, 0xFE] : header == "x-api-key" ? [.. "gpk_"u8, 0xFF, 0xFE] : Latin1Cafe;

        var (status, body) = await SendAsync(path, header, value);

        Assert.Equal(400, status);
        var message = WireAssert.ErrorMessage(path, body);
        Assert.Contains($"header '{header}' is not UTF-8 text", message, StringComparison.Ordinal);
        Assert.DoesNotContain("gpk_", body, StringComparison.Ordinal);
        Assert.Equal(0, _f.Models.Clients.Values.Sum(c => c.Calls));
    }

    [Fact]
    public async Task Chat_KeysRequiredAndAKeyNotUtf8_401InTheCallersFormat()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await CallerKeyTests.Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        await f.StartAsync(server: CallerKeyTests.RequireKeys);

        var (status, body) = await SendAsync(f, CallerKeyTests.Anthropic, "x-api-key", [.. "gpk_"u8, 0xFF, 0xFE]);

        Assert.Equal(401, status);
        Assert.Contains("is not a key of this gateway", WireAssert.ErrorMessage(CallerKeyTests.Anthropic, body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_VarInUtf8_ReachesThePromptAsBefore()
    {
        var (status, _) = await SendAsync(CallerKeyTests.OpenAi, "Glidepath-Var-customer_tier", "café"u8.ToArray());

        Assert.Equal(200, status);
        Assert.Contains("You are helping a café tier customer", _f.Models.For("stable-model").LastMessages![0].Text, StringComparison.Ordinal);
    }

    /// <summary>Posts a chat request with one header whose value is <paramref name="value"/>'s bytes as they are; the status and body of the answer.</summary>
    private Task<(int Status, string Body)> SendAsync(string path, string header, byte[] value) => SendAsync(_f, path, header, value);

    private static async Task<(int Status, string Body)> SendAsync(GatewayFixture f, string path, string header, byte[] value)
    {
        var body = path == CallerKeyTests.Anthropic ? GatewayFixture.Message() : GatewayFixture.Chat();
        var url = new Uri(f.Url);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.0\r\nHost: {url.Authority}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{header}: "));
        await stream.WriteAsync(value);
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"\r\nConnection: close\r\n\r\n{body}"));

        var answer = await new StreamReader(stream, Encoding.UTF8).ReadToEndAsync();
        var status = int.Parse(answer.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        var at = answer.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, answer[(at + 4)..]);
    }
}
