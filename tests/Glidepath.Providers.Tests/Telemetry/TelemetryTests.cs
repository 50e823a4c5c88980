using System.Collections.Concurrent;
using System.Diagnostics;
using Glidepath.Manifests;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Tests.Telemetry;

public sealed class TelemetryTests
{
    [Fact]
    public async Task GetResponse_Sim_EmitsGenAiSpanOnGlidepathSourceWithoutContent()
    {
        // The listener sees every span of the source in this process, including those of tests running in
        // parallel: this test's own span is the one under its own parent activity (same trace id).
        using var testSource = new ActivitySource("Glidepath.Providers.Tests.Telemetry");
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ModelClientFactory.TelemetrySourceName || s == testSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var app = new SampleApp();
        using var factory = new ModelClientFactory(TimeProvider.System, PriceTable.For(app.Manifest));
        var client = factory.Create(app.Model(), new ProviderSettings(), new ModelClientOptions { Environment = "staging" });
        var (messages, options) = ReleaseConversation.Prepare(app.Snapshot, new Dictionary<string, string> { ["customer_tier"] = "gold" }, [new ChatMessage(ChatRole.User, "Do you accept PayPal?")]);

        using var parent = testSource.StartActivity("test")!;
        var response = await client.GetResponseAsync(messages, options);

        var span = Assert.Single(activities, a => a.TraceId == parent.TraceId && a.GetTagItem("gen_ai.provider.name") as string == "sim");
        Assert.Equal("sim-support-1", span.GetTagItem("gen_ai.request.model"));
        Assert.Equal((int)response.Usage!.OutputTokenCount!.Value, Convert.ToInt32(span.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("staging", span.GetTagItem("glidepath.environment"));
        Assert.Equal((double)(decimal)response.AdditionalProperties![ModelResponseProperties.CostUsd]!, span.GetTagItem(ModelResponseProperties.CostUsd));
        Assert.DoesNotContain(span.Tags, t => t.Value?.Contains("PayPal", StringComparison.Ordinal) == true);
    }
}
