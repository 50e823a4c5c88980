using System.Diagnostics;
using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Traces;

namespace Glidepath.Gateway.Tests;

public sealed class TelemetryTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync("\n# test\n");
        await _f.StartAsync(server: o => o with { MetricsUrls = ["http://127.0.0.1:0"] });
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task<string> ServeAsync(string text = "Can I return shoes after 45 days?")
    {
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(text), r => r.Headers.Add("Glidepath-Subject", "alice"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Glidepath-Trace").Single();
    }

    private Task<TraceRecord> TraceAsync(string id) => _f.TraceAsync(id);

    [Fact]
    public async Task Feedback_KnownTrace_StoredAnd201()
    {
        var id = await ServeAsync();

        using var response = await _f.PostAsync("/v1/feedback", $$"""{"trace_id":"{{id}}","score":-1,"comment":"wrong window"}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var feedback = Assert.Single(await _f.Store.Traces.FeedbackAsync(id, default));
        Assert.Equal((-1.0, "wrong window"), (feedback.Score, feedback.Comment));
    }

    [Fact]
    public async Task Feedback_AnonymousFloodOnOneTrace_CountsOnce()
    {
        var id = await ServeAsync();

        for (var i = 0; i < 50; i++)
        {
            using var vote = await _f.PostAsync("/v1/feedback", $$"""{"trace_id":"{{id}}","score":-1}""");
            Assert.Equal(HttpStatusCode.Created, vote.StatusCode);
        }

        var feedback = Assert.Single(await _f.Store.Traces.FeedbackAsync(id, default));
        Assert.Equal(-1.0, feedback.Score);
    }

    [Fact]
    public async Task Feedback_ChunkedBody_Stored()
    {
        var id = await ServeAsync();
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($$"""{"trace_id":"{{id}}","score":1}""")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _f.Url + "/v1/feedback") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _f.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1.0, Assert.Single(await _f.Store.Traces.FeedbackAsync(id, default)).Score);
    }

    [Fact]
    public async Task Feedback_ChunkedBodyOverTheLimit_413()
    {
        var id = await ServeAsync();
        var body = $$"""{"trace_id":"{{id}}","score":1,"comment":"{{new string('x', 20_000)}}"}""";
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _f.Url + "/v1/feedback") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await _f.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await _f.Store.Traces.FeedbackAsync(id, default));
    }

    [Fact]
    public async Task Feedback_UnknownTrace_404()
    {
        using var response = await _f.PostAsync("/v1/feedback", """{"trace_id":"0123456789abcdef0123456789abcdef","score":1}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("unknown trace", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"trace_id":"x","score":2}""")]
    [InlineData("""{"score":1}""")]
    [InlineData("""not json""")]
    public async Task Feedback_Invalid_400(string body)
    {
        using var response = await _f.PostAsync("/v1/feedback", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    // As for chat requests: JSON only. A text/plain body is what a web page can post cross-site without asking.
    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task Feedback_NotJsonContentType_415NothingStored(string? contentType)
    {
        var id = await ServeAsync();
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($$"""{"trace_id":"{{id}}","score":1}"""));
        if (contentType is not null)
        {
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }

        using var response = await _f.Http.PostAsync(_f.Url + "/v1/feedback", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("Content-Type: application/json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await _f.Store.Traces.FeedbackAsync(id, default));
    }

    [Fact]
    public async Task Feedback_ScoreOutOfRange_400SaysWhatWasGiven()
    {
        var id = await ServeAsync();

        using var response = await _f.PostAsync("/v1/feedback", $$"""{"trace_id":"{{id}}","score":5}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("'score' is 5; expected 1 (good), -1 (bad) or a number from 0 to 1", body.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Metrics_AfterRequest_PrometheusExpositionHasGatewayCounters()
    {
        await ServeAsync();

        var text = await _f.Http.GetStringAsync(_f.Server!.MetricsUrls.Single() + "/metrics");

        Assert.Contains("glidepath_gateway_requests", text, StringComparison.Ordinal);
        Assert.Contains("glidepath_gateway_overhead", text, StringComparison.Ordinal);
        Assert.Contains("glidepath_traces_dropped", text, StringComparison.Ordinal);
    }

    // An operator trial: the duration histograms are in seconds but had the SDK's default bounds, made for
    // milliseconds (0, 5, 10, 25 … 10000), so every request landed in le="5" and histogram_quantile said ~2.5 s.
    [Theory]
    [InlineData("glidepath_gateway_request_duration_seconds", false)]
    [InlineData("glidepath_gateway_time_to_first_token_seconds", false)]
    [InlineData("glidepath_gateway_overhead_seconds", true)]
    public async Task Metrics_DurationHistograms_BucketsInSecondsAndARequestLandsBelowASecond(string name, bool overhead)
    {
        await ServeAsync();
        using (var streamed = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(extra: ",\"stream\":true")))
        {
            Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
            await streamed.Content.ReadAsStringAsync();
        }

        var text = "";
        await Eventually.TrueAsync(async () => (text = await _f.Http.GetStringAsync(_f.Server!.MetricsUrls.Single() + "/metrics")).Contains(name + "_bucket{", StringComparison.Ordinal), $"no {name} on /metrics");

        // Each series (label set without le): its bounds in order, and the first bound that holds all its requests.
        var series = System.Text.RegularExpressions.Regex.Matches(text, "^" + name + "_bucket\\{(?<labels>.*?),?le=\"(?<le>[^\"]+)\"\\} (?<count>\\d+)", System.Text.RegularExpressions.RegexOptions.Multiline)
            .GroupBy(m => m.Groups["labels"].Value)
            .ToList();
        Assert.NotEmpty(series);
        var expected = (overhead ? Glidepath.Serving.ServingTelemetry.OverheadSecondsBounds : Glidepath.Serving.ServingTelemetry.RequestSecondsBounds)
            .Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("+Inf").ToArray();
        foreach (var buckets in series)
        {
            Assert.Equal(expected, buckets.Select(m => m.Groups["le"].Value).ToArray());
            var total = long.Parse(buckets.Last().Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(total > 0);
            var holdsAll = buckets.First(m => long.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) == total).Groups["le"].Value;
            Assert.True(double.Parse(holdsAll, System.Globalization.CultureInfo.InvariantCulture) <= 1, $"{name}: a fake model's answer landed in le=\"{holdsAll}\"");
        }
    }

    [Fact]
    public async Task Metrics_RequestsCounter_HelpSaysStatusCode()
    {
        await ServeAsync();

        var text = await _f.Http.GetStringAsync(_f.Server!.MetricsUrls.Single() + "/metrics");

        Assert.Contains("# HELP glidepath_gateway_requests_total Requests served, by environment, release, arm and HTTP status code", text, StringComparison.Ordinal);
        Assert.Contains("http_response_status_code=\"200\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_StoreUnreadable_TracesQueuedCountsTheWritersBatchInHand()
    {
        const int Answered = 25;
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync(s => s with { TraceQueueCapacity = 100, TraceBatchSize = 10 });
        StoreVandal.MakeUnreadable(f.StorePath);
        try
        {
            for (var i = 0; i < Answered; i++)
            {
                using var r = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            }

            // A trace is queued as its response completes, so this waits until all 25 are counted. Once the writer has
            // taken its batch of 10 (which it cannot write, and keeps), counting only the queue would stop at 15; the
            // deterministic case of that is TraceQueueTests. 30 s turns "never" into a failure, it times nothing.
            var body = "";
            for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(30) && !body.Contains($"\"traces_queued\":{Answered},", StringComparison.Ordinal); await Task.Delay(25))
            {
                using var ready = await f.Http.GetAsync(f.Url + "/readyz");
                body = await ready.Content.ReadAsStringAsync();
            }

            Assert.Contains($"\"traces_queued\":{Answered},", body, StringComparison.Ordinal);
            Assert.Contains("\"traces_dropped\":0", body, StringComparison.Ordinal);
        }
        finally
        {
            StoreVandal.Restore(f.StorePath);
        }
    }

    [Fact]
    public async Task TraceQueueFull_RequestsStillServedAndDropsCounted()
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync(s => s with { TraceQueueCapacity = 1, TraceBatchSize = 1 });
        StoreVandal.MakeUnreadable(f.StorePath);
        try
        {
            var tasks = Enumerable.Range(0, 30).Select(async _ =>
            {
                using var r = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());
                return r.StatusCode;
            });
            Assert.All(await Task.WhenAll(tasks), s => Assert.Equal(HttpStatusCode.OK, s));

            using var ready = await f.Http.GetAsync(f.Url + "/readyz");
            var body = await ready.Content.ReadAsStringAsync();
            Assert.DoesNotContain("\"traces_dropped\":0,", body, StringComparison.Ordinal);
        }
        finally
        {
            StoreVandal.Restore(f.StorePath);
        }
    }
}
