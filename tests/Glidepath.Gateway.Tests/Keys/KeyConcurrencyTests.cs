using System.Net;
using System.Net.Http.Headers;
using Glidepath.Gateway.Tests.Support;
using static Glidepath.Gateway.Tests.Keys.CallerKeyTests;

namespace Glidepath.Gateway.Tests.Keys;

/// <summary>
/// One key cannot hold every provider slot (attack trial D §4: sixteen long streams under one key made every other
/// caller's request a 503 counted against the release): past its share it gets a 429, refused before routing, when the
/// environment has two or more working keys.
/// </summary>
public sealed class KeyConcurrencyTests
{
    [Theory]
    [InlineData(CallerKeyTests.OpenAi)]
    [InlineData(CallerKeyTests.Anthropic)]
    public async Task Chat_KeyHoldingItsShareOfTheSlots_429ForItAloneUntilOneEnds(string path)
    {
        // The default share: half of the smallest max_concurrency among the providers the routed releases use (the sim's 4
        // here), so 2 places per key; the providers no release uses do not count (outside trial segments M2: an unused
        // provider's default 16 held every key to 8).
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => y
            .Replace("  anthropic: { base_url", "  sim: { max_concurrency: 4 }\n  anthropic: { base_url", StringComparison.Ordinal)
            .Replace("api_key_env: ANTHROPIC_API_KEY }", "api_key_env: ANTHROPIC_API_KEY, max_concurrency: 2 }", StringComparison.Ordinal)
            .Replace("api_key_env: OPENAI_API_KEY }", "api_key_env: OPENAI_API_KEY, max_concurrency: 6 }", StringComparison.Ordinal));
        var greedy = await Service(f).CreateAsync(f.Manifest.App, "staging", "greedy", null, null, "test", default);
        var other = await Service(f).CreateAsync(f.Manifest.App, "staging", "other", null, null, "test", default);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Models.For("stable-model").HoldAfterFirstUpdate = hold;
        await f.StartAsync(server: RequireKeys);

        // Two long streams under one key: each holds its place until the upstream lets it finish.
        var held = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => StreamAsync(f, path, greedy.Secret)));
        Assert.All(held, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        using var refused = await SendAsync(f, path, greedy.Secret);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains("'greedy' has 2 requests calling the model at once, its share of this gateway's provider slots (half of providers.sim.max_concurrency 4, the smallest among the providers its requests may reach)", WireAssert.ErrorMessage(path, body), StringComparison.Ordinal);
        Assert.Contains("rate_limit_error", body, StringComparison.Ordinal);
        Assert.False(refused.Headers.Contains("Glidepath-Trace")); // refused before routing: not a request of either arm

        // Another caller is served meanwhile.
        using var served = await StreamAsync(f, path, other.Secret);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        hold.SetResult();
        foreach (var r in held)
        {
            await r.Content.ReadAsStringAsync();
            r.Dispose();
        }

        // The places come back as the requests end (just after their last byte): polled, not timed.
        await Eventually.TrueAsync(async () =>
        {
            using var again = await SendAsync(f, path, greedy.Secret);
            return again.StatusCode == HttpStatusCode.OK;
        }, "the key's places never came back after its requests ended");
    }

    // A deployment whose one backend service holds the only key keeps every slot: the share is for several callers.
    [Fact]
    public async Task Chat_OnlyWorkingKeyPastItsShare_Served()
    {
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => y
            .Replace("api_key_env: ANTHROPIC_API_KEY }", "api_key_env: ANTHROPIC_API_KEY, max_concurrency: 4 }", StringComparison.Ordinal)
            .Replace("api_key_env: OPENAI_API_KEY }", "api_key_env: OPENAI_API_KEY, max_concurrency: 6 }", StringComparison.Ordinal));
        var only = await Service(f).CreateAsync(f.Manifest.App, "staging", "only", null, null, "test", default);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Models.For("stable-model").HoldAfterFirstUpdate = hold;
        await f.StartAsync(server: RequireKeys);

        var held = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++)
        {
            held.Add(await StreamAsync(f, CallerKeyTests.OpenAi, only.Secret));
        }

        Assert.All(held, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode)); // 3 in flight, past a share of 2
        hold.SetResult();
        foreach (var r in held)
        {
            await r.Content.ReadAsStringAsync();
            r.Dispose();
        }
    }

    private static Task<HttpResponseMessage> StreamAsync(GatewayFixture f, string path, string key)
    {
        var json = path == CallerKeyTests.OpenAi ? GatewayFixture.Chat(extra: ",\"stream\":true") : GatewayFixture.Message(extra: ",\"stream\":true");
        var request = new HttpRequestMessage(HttpMethod.Post, f.Url + path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (path == CallerKeyTests.OpenAi)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        else
        {
            request.Headers.Add("x-api-key", key);
        }

        return f.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }
}
