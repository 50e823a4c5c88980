using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Keys;

/// <summary>
/// DNS rebinding: a web page whose name now resolves to 127.0.0.1 reaches a gateway on the visitor's machine with its
/// own name in <c>Host</c>. A gateway without keys answers such a request with a 403, in the caller's format, before any
/// model call; loopback names pass, and with keys required the key decides.
/// </summary>
public sealed class RebindingHostTests
{
    [Theory]
    [InlineData(CallerKeyTests.OpenAi, "rebind.attacker.example", 403)]
    [InlineData(CallerKeyTests.Anthropic, "rebind.attacker.example", 403)]
    [InlineData(CallerKeyTests.OpenAi, "10.0.0.7", 403)]
    [InlineData(CallerKeyTests.OpenAi, "localhost", 200)]
    [InlineData(CallerKeyTests.OpenAi, "LOCALHOST", 200)]
    [InlineData(CallerKeyTests.OpenAi, "127.0.0.1", 200)]
    [InlineData(CallerKeyTests.Anthropic, "127.0.0.2", 200)]
    [InlineData(CallerKeyTests.OpenAi, "[::1]", 200)]
    [InlineData(CallerKeyTests.OpenAi, "app.localhost", 200)]
    [InlineData(CallerKeyTests.OpenAi, "host.docker.internal", 200)]
    [InlineData(CallerKeyTests.OpenAi, "localhost.attacker.example", 403)]
    public async Task Chat_WithoutKeys_AnswersOnlyToALoopbackHost(string path, string host, int expected)
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync();
        var port = new Uri(f.Url).Port;

        using var response = await f.PostAsync(path, path == CallerKeyTests.OpenAi ? GatewayFixture.Chat() : GatewayFixture.Message(), r => r.Headers.Host = $"{host}:{port}");

        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 403)
        {
            Assert.Contains($"names the host '{host}:{port}'", WireAssert.ErrorMessage(path, await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
            Assert.Equal(0, f.Models.Clients.Values.Sum(c => c.Calls));
        }
    }

    [Theory]
    [InlineData("rebind.attacker.example", 403)]
    [InlineData("localhost", 200)]
    public async Task Chat_HostWithoutAPort_JudgedTheSame(string host, int expected)
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync();

        using var response = await f.PostAsync(CallerKeyTests.OpenAi, GatewayFixture.Chat(), r => r.Headers.Host = host);

        Assert.Equal(expected, (int)response.StatusCode);
    }

    [Fact]
    public async Task Chat_ThisMachinesName_Served()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync();

        using var response = await f.PostAsync(CallerKeyTests.OpenAi, GatewayFixture.Chat(), r => r.Headers.Host = Environment.MachineName.ToLowerInvariant());

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Feedback_WithoutKeys_ARebindingHostIs403()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync();

        using var response = await f.PostAsync("/v1/feedback", """{"trace_id":"0123456789abcdef0123456789abcdef","score":1}""", r => r.Headers.Host = "rebind.attacker.example");

        Assert.Equal(403, (int)response.StatusCode);
        Assert.Contains("names the host 'rebind.attacker.example'", WireAssert.ErrorMessage("/v1/feedback", await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_KeysRequired_TheKeyDecidesWhateverTheHost()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var key = await CallerKeyTests.Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        await f.StartAsync(server: CallerKeyTests.RequireKeys);

        using var response = await f.PostAsync(CallerKeyTests.OpenAi, GatewayFixture.Chat(), r =>
        {
            r.Headers.Host = "gateway.internal.example";
            r.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Secret);
        });

        Assert.Equal(200, (int)response.StatusCode);
    }
}
