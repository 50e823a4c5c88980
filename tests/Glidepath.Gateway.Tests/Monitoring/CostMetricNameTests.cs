using System.Net;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Manifests;

namespace Glidepath.Gateway.Tests.Monitoring;

/// <summary>
/// An operator trial: the cost counter was exported on /metrics as <c>glidepath_gateway_cost_USD_total</c>, its unit
/// upper-case in the name. It is <c>glidepath_gateway_cost_usd_total</c>.
/// </summary>
public sealed class CostMetricNameTests
{
    [Fact]
    public async Task Metrics_PricedModelServed_CostCounterNamedWithALowerCaseUnit()
    {
        await using var f = await GatewayFixture.CreateAsync();
        var yaml = File.ReadAllText(Path.Combine(f.Directory, "glidepath.yaml"))
            .Replace("  sim-support-1: {", "  stable-model: { input: 1.0, output: 2.0 }\n  sim-support-1: {", StringComparison.Ordinal);
        var manifest = ManifestParser.Parse(yaml, "glidepath.yaml", new Files.WorkingTreeFileSource(f.Directory)) with { BaseDirectory = f.Directory };
        await f.StartAsync(s => s with { Manifest = manifest }, o => o with { MetricsUrls = ["http://127.0.0.1:0"] });
        using (var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat("Can I return shoes after 45 days?")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var text = await f.Http.GetStringAsync(f.Server!.MetricsUrls.Single() + "/metrics");

        Assert.Contains("# HELP glidepath_gateway_cost_usd_total Cost of provider calls in US dollars at the manifest's prices", text, StringComparison.Ordinal);
        Assert.Matches("(?m)^glidepath_gateway_cost_usd_total\\{", text);
        Assert.DoesNotContain("_USD", text, StringComparison.Ordinal);
    }
}
