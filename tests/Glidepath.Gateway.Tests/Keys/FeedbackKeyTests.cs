using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Traces;

namespace Glidepath.Gateway.Tests.Keys;

/// <summary>Feedback with keys required: a key per vote, one vote per trace and key, only this environment's traces, bounded comments.</summary>
public sealed class FeedbackKeyTests
{
    [Fact]
    public async Task Feedback_WithoutAKey_401AndNothingStored()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var created = await CallerKeyTests.Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        await f.StartAsync(server: CallerKeyTests.RequireKeys);
        var traceId = await ChatAsync(f, created.Secret);

        using var response = await f.PostAsync("/v1/feedback", Vote(traceId, -1));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("needs a key", WireAssert.ErrorMessage("/v1/feedback", await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Empty(await f.Store.Traces.FeedbackAsync(traceId, default));
    }

    [Fact]
    public async Task Feedback_SameKeyVotesTwice_LaterReplacesEarlier_AnotherKeysVoteIs404()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var a = await CallerKeyTests.Service(f).CreateAsync(f.Manifest.App, "staging", "a", null, null, "test", default);
        var b = await CallerKeyTests.Service(f).CreateAsync(f.Manifest.App, "staging", "b", null, null, "test", default);
        await f.StartAsync(server: CallerKeyTests.RequireKeys);
        var traceId = await ChatAsync(f, a.Secret);

        for (var i = 0; i < 100; i++)
        {
            using var vote = await FeedbackAsync(f, a.Secret, Vote(traceId, -1));
            Assert.Equal(HttpStatusCode.Created, vote.StatusCode);
        }

        using (var changed = await FeedbackAsync(f, a.Secret, Vote(traceId, 1)))
        using (var other = await FeedbackAsync(f, b.Secret, Vote(traceId, -1)))
        {
            // Another key knowing the trace id cannot outvote the caller who made the request: as for an unknown trace.
            Assert.Equal((HttpStatusCode.Created, HttpStatusCode.NotFound), (changed.StatusCode, other.StatusCode));
        }

        var feedback = await f.Store.Traces.FeedbackAsync(traceId, default);
        Assert.Equal([(1.0, a.Key.Id)], feedback.Select(x => (x.Score, x.KeyId!)));
    }

    [Fact]
    public async Task Feedback_OnATraceOfAnotherEnvironment_404()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var created = await CallerKeyTests.Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        var production = new TraceRecord
        {
            TraceId = "0123456789abcdef0123456789abcdef",
            App = f.Manifest.App,
            Environment = "production",
            ReleaseId = f.V1.Id,
            Arm = "stable",
            StartedAt = DateTimeOffset.UtcNow,
            Api = "openai",
            Status = 200,
            LatencyMs = 10,
            OverheadMs = 1,
        };
        await f.Store.Traces.WriteBatchAsync([production], default);
        await f.StartAsync(server: CallerKeyTests.RequireKeys);

        using var response = await FeedbackAsync(f, created.Secret, Vote(production.TraceId, -1));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await f.Store.Traces.FeedbackAsync(production.TraceId, default));
    }

    [Fact]
    public async Task Feedback_CommentOverTheLimit_400_AtTheLimit_Stored()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var created = await CallerKeyTests.Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        await f.StartAsync(server: CallerKeyTests.RequireKeys);
        var traceId = await ChatAsync(f, created.Secret);

        using var tooLong = await FeedbackAsync(f, created.Secret, Vote(traceId, -1, new string('x', 1001)));
        using var atLimit = await FeedbackAsync(f, created.Secret, Vote(traceId, -1, new string('x', 1000)));
        using var huge = await FeedbackAsync(f, created.Secret, Vote(traceId, -1, new string('x', 20_000)));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("at most 1000", WireAssert.ErrorMessage("/v1/feedback", await tooLong.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task Feedback_WithAnthropicStyleKey_ErrorsInAnthropicsFormat()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var created = await CallerKeyTests.Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        await f.StartAsync(server: CallerKeyTests.RequireKeys);

        using var response = await f.PostAsync("/v1/feedback", Vote("ffffffffffffffffffffffffffffffff", 1), r => r.Headers.Add("x-api-key", created.Secret));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        WireAssert.ErrorMessage("/v1/messages", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Feedback_AnthropicSdkSendingItsKeyAsBearer_ErrorsInAnthropicsFormat()
    {
        // What the current Anthropic SDKs send (Anthropic 13.x for .NET, @anthropic-ai/sdk 1.x): Bearer and anthropic-version.
        await using var f = await GatewayFixture.CreateAsync();
        var created = await CallerKeyTests.Service(f).CreateAsync(f.Manifest.App, "staging", "checkout", null, null, "test", default);
        await f.StartAsync(server: CallerKeyTests.RequireKeys);

        using var response = await f.PostAsync("/v1/feedback", Vote("ffffffffffffffffffffffffffffffff", 1), r =>
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", created.Secret);
            r.Headers.Add("anthropic-version", "2026-10-21");
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        WireAssert.ErrorMessage("/v1/messages", await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> ChatAsync(GatewayFixture f, string key)
    {
        using var response = await CallerKeyTests.SendAsync(f, CallerKeyTests.OpenAi, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceId = response.Headers.GetValues("Glidepath-Trace").Single();
        await WireAssert.TraceAsync(f, traceId);
        return traceId;
    }

    private static Task<HttpResponseMessage> FeedbackAsync(GatewayFixture f, string key, string body) =>
        f.PostAsync("/v1/feedback", body, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key));

    private static string Vote(string traceId, double score, string? comment = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["trace_id"] = traceId, ["score"] = score, ["comment"] = comment });
}
