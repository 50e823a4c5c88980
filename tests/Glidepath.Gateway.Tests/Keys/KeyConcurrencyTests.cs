using System.Net;
using System.Net.Http.Headers;
using Glidepath.Gateway.Tests.Support;
using static Glidepath.Gateway.Tests.Keys.CallerKeyTests;

namespace Glidepath.Gateway.Tests.Keys;

/// <summary>
/// One key cannot hold every provider slot (attack trial D §4: sixteen long streams under one key made every other
/// caller's request a 503 counted against the release): past its share it gets a 429, refused before routing.
/// </summary>
public sealed class KeyConcurrencyTests
{
    [Theory]
    [InlineData(CallerKeyTests.OpenAi)]
    [InlineData(CallerKeyTests.Anthropic)]
    public async Task Chat_KeyHoldingItsShareOfTheSlots_429ForItAloneUntilOneEnds(string path)
    {
        // The default share: half of the smallest max_concurrency among the providers (4 here), so 2 places per key.
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => y
            .Replace("api_key_env: ANTHROPIC_API_KEY }", "api_key_env: ANTHROPIC_API_KEY, max_concurrency: 4 }", StringComparison.Ordinal)
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
        Assert.Contains("'greedy' has 2 requests calling the model at once", WireAssert.ErrorMessage(path, body), StringComparison.Ordinal);
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
