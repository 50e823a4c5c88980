using Glidepath.Traces;

namespace Glidepath.Cli.Tests.Monitoring;

public sealed class TracesCliTests
{
    [Fact]
    public async Task TracesList_FailedSinceOneHourForOneRelease_ListsOnlyThoseNewestFirst()
    {
        await using var app = await MonitorApp.CreateAsync(2);
        var t0 = MonitorApp.Start;
        await app.WriteTracesAsync("production", "v1", t0, TimeSpan.FromHours(3), 30, errorRate: 0.1);
        await app.WriteTracesAsync("production", "v2", t0, TimeSpan.FromHours(3), 30, errorRate: 0.1);
        await app.WriteTracesAsync("staging", "v1", t0, TimeSpan.FromHours(3), 30, errorRate: 0.1);
        app.Time.SetUtcNow(t0.AddHours(3));

        var json = await app.JsonAsync("traces", "list", "--env", "production", "--release", "v1", "--failed", "--since", "1h");

        var only = Assert.Single(json.GetProperty("traces").EnumerateArray());
        Assert.True(only.GetProperty("failed").GetBoolean());
        Assert.Equal("v1", only.GetProperty("release").GetProperty("name").GetString());
        var all = (await app.JsonAsync("traces", "list", "--env", "production", "--release", "v1")).GetProperty("traces").EnumerateArray()
            .Select(t => t.GetProperty("started_at").GetDateTimeOffset()).ToList();
        Assert.Equal(30, all.Count);
        Assert.Equal(all.OrderDescending(), all);
    }

    [Fact]
    public async Task TracesShow_CapturedTraceWithFeedback_ShowsTimingsTokensCostFeedbackAndContent()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        var trace = (await app.WriteTracesAsync("production", "v1", MonitorApp.Start, TimeSpan.FromMinutes(1), 1, shape: (_, t) => t with
        {
            TimeToFirstTokenMs = 123.4,
            InputJson = """[{"role":"user","content":"Where is my order 1234?"}]""",
            OutputText = "Your order ships tomorrow.",
        }))[0];
        await using (var store = await app.OpenStoreAsync())
        {
            Assert.True(await store.Traces.AddFeedbackAsync(new FeedbackRecord(trace.TraceId, -1, "wrong date", MonitorApp.Start.AddMinutes(2)), CancellationToken.None));
        }

        var json = await app.JsonAsync("traces", "show", trace.TraceId);
        Assert.Equal(123.4, json.GetProperty("timings").GetProperty("time_to_first_token_ms").GetDouble());
        Assert.Equal(120, json.GetProperty("trace").GetProperty("input_tokens").GetInt64());
        Assert.Equal(-1, json.GetProperty("feedback")[0].GetProperty("score").GetDouble());
        Assert.Equal("Your order ships tomorrow.", json.GetProperty("content").GetProperty("output").GetString());

        var (code, text, _) = await app.RunAsync("traces", "show", trace.TraceId);
        Assert.Equal(0, code);
        Assert.Contains("time to first token", text, StringComparison.Ordinal);
        Assert.Contains("wrong date", text, StringComparison.Ordinal);
        Assert.Contains("[user] Where is my order 1234?", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TracesShow_UnknownId_Exit2()
    {
        await using var app = await MonitorApp.CreateAsync(1);
        var (code, _, stderr) = await app.RunAsync("traces", "show", "0123456789abcdef0123456789abcdef");
        Assert.Equal(2, code);
        Assert.Contains("traces list", stderr, StringComparison.Ordinal);
    }
}
