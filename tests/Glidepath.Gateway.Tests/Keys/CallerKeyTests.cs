using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Glidepath.Errors;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Keys;
using Glidepath.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Gateway.Tests.Keys;

/// <summary>Callers' keys on a real gateway: every refusal on both wire formats, limits, revocation while serving, keys on traces.</summary>
public sealed class CallerKeyTests
{
    public const string OpenAi = "/v1/chat/completions";
    public const string Anthropic = "/v1/messages";

    [Theory]
    [InlineData(OpenAi, "missing", 401)]
    [InlineData(Anthropic, "missing", 401)]
    [InlineData(OpenAi, "wrong", 401)]
    [InlineData(Anthropic, "wrong", 401)]
    [InlineData(OpenAi, "not-a-key", 401)]
    [InlineData(Anthropic, "not-a-key", 401)]
    [InlineData(OpenAi, "revoked", 401)]
    [InlineData(Anthropic, "revoked", 401)]
    [InlineData(OpenAi, "other-environment", 401)]
    [InlineData(Anthropic, "other-environment", 401)]
    [InlineData(OpenAi, "valid", 200)]
    [InlineData(Anthropic, "valid", 200)]
    public async Task Chat_KeysRequired_RefusesAllButAWorkingKeyOfThisEnvironment_InTheCallersFormat(string path, string presented, int expected)
    {
        await using var f = await GatewayFixture.CreateAsync();
        var keys = Service(f);
        var valid = await keys.CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        var revoked = await keys.CreateAsync(f.Manifest.App, "staging", "old", null, null, "test", default);
        await keys.RevokeAsync(f.Manifest.App, "old", "test", null, default);
        var production = await keys.CreateAsync(f.Manifest.App, "production", "prod", null, null, "test", default);
        await f.StartAsync(server: RequireKeys);
        var key = presented switch
        {
            "wrong" => ApiKeySecret.New(),
            "not-a-key" => "sk-proj-something",
            "revoked" => revoked.Secret,
            "other-environment" => production.Secret,
            "valid" => valid.Secret,
            _ => null,
        };

        using var response = await SendAsync(f, path, key);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, (int)response.StatusCode);
        if (expected == 401)
        {
            var message = WireAssert.ErrorMessage(path, body);
            Assert.Contains(presented switch { "missing" => "needs a key", "revoked" => "revoked", "other-environment" => "'production'", _ => "not a key of this gateway" }, message, StringComparison.Ordinal);
            Assert.Equal(0, f.Models.Clients.Values.Sum(c => c.Calls));
        }
    }

    [Theory]
    [InlineData(OpenAi)]
    [InlineData(Anthropic)]
    public async Task Chat_OverTheKeysRate_429WithRetryAfterToTheNextMinute(string path)
    {
        await using var f = await GatewayFixture.CreateAsync();
        var created = await Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", 2, null, "test", default);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 10, TimeSpan.Zero));
        await f.StartAsync(s => s with { Time = time }, RequireKeys);

        using var first = await SendAsync(f, path, created.Secret);
        using var second = await SendAsync(f, path, created.Secret);
        using var third = await SendAsync(f, path, created.Secret);
        time.Advance(TimeSpan.FromSeconds(50));
        using var nextMinute = await SendAsync(f, path, created.Secret);

        Assert.Equal([200, 200, 429, 200], new[] { first, second, third, nextMinute }.Select(r => (int)r.StatusCode));
        Assert.Equal("50", third.Headers.GetValues("Retry-After").Single());
        Assert.Contains("2 requests per minute", WireAssert.ErrorMessage(path, await third.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OpenAi)]
    [InlineData(Anthropic)]
    public async Task Chat_KeyOverItsDailyBudget_429UntilMidnightUtc(string path)
    {
        // 12 input tokens at $100,000 per million: $1.20 a call, so a $2 budget allows two calls.
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => y.Replace("sim-support-1: { input: 3.0", "stable-model: { input: 100000.0", StringComparison.Ordinal));
        var created = await Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, 2, "test", default);
        // A minute before midnight: advancing the clock also runs every poll in between, so the step is kept short.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 23, 59, 0, TimeSpan.Zero));
        await f.StartAsync(s => s with { Time = time }, RequireKeys);

        using var first = await SendAsync(f, path, created.Secret);
        using var second = await SendAsync(f, path, created.Secret);
        using var third = await SendAsync(f, path, created.Secret);
        time.Advance(TimeSpan.FromSeconds(60));
        using var tomorrow = await SendAsync(f, path, created.Secret);

        Assert.Equal([200, 200, 429, 200], new[] { first, second, third, tomorrow }.Select(r => (int)r.StatusCode));
        Assert.Equal("60", third.Headers.GetValues("Retry-After").Single());
        Assert.Contains("budget of $2", WireAssert.ErrorMessage(path, await third.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_ThirtyAtOnceOnASmallBudget_OnlyWhatTheBudgetCoversIsServed()
    {
        // $1.20 a call against a $2 budget. 30 streamed requests are sent while the upstream holds every answer after its
        // first token, so all 30 are in flight together before any is paid for: the first is admitted, the rest are 429s
        // (its price is not known yet). Before, all 30 passed the check and all were served.
        await using var f = await GatewayFixture.CreateAsync(editManifest: y => y.Replace("sim-support-1: { input: 3.0", "stable-model: { input: 100000.0", StringComparison.Ordinal));
        var created = await Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, 2, "test", default);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Models.For("stable-model").HoldAfterFirstUpdate = hold;
        await f.StartAsync(server: RequireKeys);

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, f.Url + OpenAi) { Content = new StringContent(GatewayFixture.Chat(extra: ",\"stream\":true"), System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", created.Secret);
            return await f.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }));
        hold.SetResult();
        var served = new List<string>();
        foreach (var r in responses)
        {
            await r.Content.ReadAsStringAsync();
            if (r.StatusCode == HttpStatusCode.OK)
            {
                served.Add(r.Headers.GetValues("Glidepath-Trace").Single());
            }
            else
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
                Assert.Equal("1", r.Headers.GetValues("Retry-After").Single());
            }

            r.Dispose();
        }

        var trace = await f.TraceAsync(Assert.Single(served));
        Assert.InRange(trace.CostUsd, 1.2, 1.21);

        // Once that request is paid for, the key's next one is admitted ($1.20 spent, $1.20 a call: one more fits).
        using var next = await SendAsync(f, OpenAi, created.Secret);
        using var after = await SendAsync(f, OpenAi, created.Secret);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.TooManyRequests), (next.StatusCode, after.StatusCode));
    }

    [Fact]
    public async Task Chat_KeyRevokedWhileServing_RefusedWithinAboutASecond()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var created = await Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        await f.StartAsync(server: RequireKeys);
        using (var before = await SendAsync(f, OpenAi, created.Secret))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await Service(f).RevokeAsync(f.Manifest.App, "checkout", "test", null, default);
        var sw = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await SendAsync(f, OpenAi, created.Secret);
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && sw.Elapsed < TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Chat_StoreUnreadableWhileServing_KeysOfTheLastSnapshotStillChecked()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var created = await Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        await f.StartAsync(server: RequireKeys);
        var path = f.Store.Location;

        StoreVandal.MakeUnreadable(path);
        try
        {
            // Several polls with the store unreadable: /readyz turns stale, the keys stay as last read.
            var sw = Stopwatch.StartNew();
            while (!(await f.Http.GetStringAsync(f.Url + "/readyz")).Contains("\"control_plane\":\"stale\"", StringComparison.Ordinal) && sw.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }

            using var known = await SendAsync(f, Anthropic, created.Secret);
            using var unknown = await SendAsync(f, Anthropic, ApiKeySecret.New());

            Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Unauthorized), (known.StatusCode, unknown.StatusCode));
        }
        finally
        {
            StoreVandal.Restore(path);
        }
    }

    [Fact]
    public async Task Chat_WithKey_TraceCarriesTheKeysIdAndName()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var created = await Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        await f.StartAsync(server: RequireKeys);

        using var response = await SendAsync(f, Anthropic, created.Secret);

        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Equal((created.Key.Id, "checkout"), (trace.KeyId, trace.KeyName));
    }

    [Fact]
    public async Task Chat_KeysOff_ServedWithoutAKeyAndTheTraceHasNone()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync();

        using var response = await SendAsync(f, OpenAi, "sk-anything");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trace = await WireAssert.TraceAsync(f, response.Headers.GetValues("Glidepath-Trace").Single());
        Assert.Null(trace.KeyId);
    }

    [Fact]
    public async Task Start_KeysRequiredButNoneWorks_RefusedNamingTheWayOut()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await Service(f).CreateAsync(f.Manifest.App, "production", "prod-only", null, null, "test", default);

        var ex = await Assert.ThrowsAsync<PolicyException>(() => f.StartAsync(server: RequireKeys));

        Assert.Contains("--allow-anonymous", ex.Message, StringComparison.Ordinal);
        Assert.Contains("glidepath keys create --env staging", ex.Message, StringComparison.Ordinal);
    }

    internal static ApiKeyService Service(GatewayFixture f) => new(f.Store.ApiKeys, f.Store, TimeProvider.System);

    internal static GatewayServerOptions RequireKeys(GatewayServerOptions s) => s with { Gateway = s.Gateway with { RequireKeys = true } };

    /// <summary>A chat request as each SDK sends its key: Bearer for OpenAI, x-api-key for Anthropic.</summary>
    internal static Task<HttpResponseMessage> SendAsync(GatewayFixture f, string path, string? key) =>
        f.PostAsync(path, path == OpenAi ? GatewayFixture.Chat() : GatewayFixture.Message(), r =>
        {
            if (key is null)
            {
                return;
            }

            if (path == OpenAi)
            {
                r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
            else
            {
                r.Headers.Add("x-api-key", key);
            }
        });
}
