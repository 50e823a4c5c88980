using System.Collections.Concurrent;
using System.Diagnostics;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests;

public sealed class SpanTests : IAsyncLifetime
{
    private const string CallerTrace = "5ca1ab1e5ca1ab1e5ca1ab1e5ca1ab1e";
    private readonly ConcurrentBag<Activity> _stopped = [];
    private ActivityListener _listener = null!;
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Glidepath" or "Microsoft.AspNetCore",

            // ASP.NET Core's request span only for this class's own caller trace: other tests' requests stay as they are.
            Sample = (ref ActivityCreationOptions<ActivityContext> o) =>
                o.Source.Name == "Glidepath" || o.Parent.TraceId.ToHexString() == CallerTrace ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = _stopped.Add,
        };
        ActivitySource.AddActivityListener(_listener);
        _f = await GatewayFixture.CreateAsync();
        await _f.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _f.DisposeAsync();
    }

    [Fact]
    public async Task Request_Traced_SpanCarriesReleaseArmAndFeatureFlagEvaluation()
    {
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Subject", "bob"));
        var traceId = response.Headers.GetValues("Glidepath-Trace").Single();

        // The span ends after the response is written, so it may stop just after the client has the answer.
        var span = await StoppedAsync(a => a.TraceId.ToHexString() == traceId && a.OperationName.StartsWith("gateway ", StringComparison.Ordinal));
        Assert.Equal(_f.V1.Label, span.GetTagItem("glidepath.release"));
        Assert.Equal("stable", span.GetTagItem("glidepath.arm"));
        var evaluation = Assert.Single(span.Events, e => e.Name == "feature_flag.evaluation");
        var tags = evaluation.Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("support-agent@staging", tags["feature_flag.key"]);
        Assert.Equal("stable", tags["feature_flag.result.variant"]);
        Assert.Equal(await _f.SubjectHashAsync("bob"), tags["feature_flag.context.id"]);
    }

    [Fact]
    public async Task CallerTraceparent_NeverBecomesTheStoredTraceId()
    {
        // A caller who brings a trace id must not choose the stored id: a reused id would be dropped as a duplicate,
        // and the id stands in for a missing subject (the arm) and draws sampling.
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(),
                r => r.Headers.Add("traceparent", $"00-{CallerTrace}-b7ad6b7169203331-01"));
            Assert.True(response.IsSuccessStatusCode);
            ids.Add(response.Headers.GetValues("Glidepath-Trace").Single());
        }

        Assert.DoesNotContain(CallerTrace, ids);
        Assert.Equal(3, ids.Distinct().Count());
        foreach (var id in ids)
        {
            Assert.Equal(id, (await _f.TraceAsync(id)).TraceId); // each one stored
            var span = await StoppedAsync(a => a.OperationName.StartsWith("gateway ", StringComparison.Ordinal) && Equals(a.GetTagItem("glidepath.trace_id"), id));
            Assert.Equal(CallerTrace, span.TraceId.ToHexString()); // still part of the caller's distributed trace
        }
    }

    private async Task<Activity> StoppedAsync(Func<Activity, bool> match)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            var found = _stopped.Where(match).ToList();
            if (found.Count > 0)
            {
                return Assert.Single(found);
            }

            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException("the request's span never stopped");
    }
}
