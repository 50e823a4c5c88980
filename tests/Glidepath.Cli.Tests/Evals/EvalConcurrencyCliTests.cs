namespace Glidepath.Cli.Tests.Evals;

public sealed class EvalConcurrencyCliTests
{
    [Fact]
    public async Task EvalRun_ConcurrencyAboveProviderDefault_IsHonouredAndSaysSo()
    {
        using var endpoint = new SlowOpenAIEndpoint(hold: 20);
        using var app = EvalApp.OnOpenAI(endpoint);

        var (code, _, stderr) = await app.RunAsync("eval", "run", "--concurrency", "24", "--no-cache");

        Assert.True(code is 0 or 1, stderr);
        Assert.True(endpoint.MaxInFlight >= 20, $"at most {endpoint.MaxInFlight} calls were in flight; --concurrency 24 was capped");
        Assert.Contains("concurrency 24 (no provider max_concurrency", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EvalRun_LowerMaxConcurrencyInManifest_CapsTheRunAndNamesTheLimit()
    {
        using var endpoint = new SlowOpenAIEndpoint(hold: 4);
        using var app = EvalApp.OnOpenAI(endpoint, maxConcurrency: 4);

        var (code, stdout, stderr) = await app.RunAsync("eval", "run", "--concurrency", "24", "--no-cache", "--format", "json");

        Assert.True(code is 0 or 1, stderr);
        Assert.Equal(4, endpoint.MaxInFlight);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        var concurrency = json.RootElement.GetProperty("concurrency");
        Assert.Equal(24, concurrency.GetProperty("requested").GetInt32());
        Assert.Equal(4, concurrency.GetProperty("effective").GetInt32());
        Assert.Equal("providers.openai.max_concurrency: 4", concurrency.GetProperty("limited_by").GetString());
        Assert.Contains("concurrency 4: providers.openai.max_concurrency: 4 in glidepath.yaml caps the 24 asked for", stderr, StringComparison.Ordinal);
    }
}
