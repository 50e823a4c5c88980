using System.Diagnostics;
using System.Net;
using Glidepath.Environments;
using Glidepath.Gateway;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Serving;
using Glidepath.Shadow;

namespace Glidepath.IntegrationTests;

/// <summary>
/// Shadow traffic end to end: the sim provider, a real gateway on 127.0.0.1 serving production, a real SQLite store,
/// the CLI. v1 is stable; the candidates are v3, identical in behaviour (only a file the sim does not read changed),
/// and v4, which fails three calls in ten (a sim fault).
/// </summary>
public sealed class ShadowTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private SampleApp _app = null!;
    private GatewayServer? _gateway;
    private ModelClientFactory? _models;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        // Tolerances for a sim whose answers take a millisecond (timing noise is most of its latency); the rest of the
        // plan comes from the sample manifest: min_requests 100 pairs, min_subjects 20, confidence 0.95. Temperature 0:
        // the sim then gives a release's one best answer whatever the order of calls, which the mirror's concurrent
        // workers would otherwise change from run to run; the judge's A/A rate over random draws is the unit tests'.
        _app = await SampleApp.CreateAsync(yaml => yaml
            .Replace("error_rate:    { max_increase: 0.01 }", "error_rate:    { max_increase: 0.05 }", StringComparison.Ordinal)
            .Replace("retry_rate:    { max_increase: 0.01 }", "retry_rate:    { max_increase: 0.05 }", StringComparison.Ordinal)
            .Replace("latency:       { max_ratio: 1.25 }", "latency:       { max_ratio: 4 }", StringComparison.Ordinal)
            .Replace("min_requests: 200", "min_requests: 100", StringComparison.Ordinal)
            .Replace("temperature: 0.2", "temperature: 0", StringComparison.Ordinal));
        Assert.Equal(0, (await _app.CliAsync("promote", "v1", "--env", "production")).Exit);
        await File.AppendAllTextAsync(Path.Combine(_app.Directory, "agent", "handoff.md"), "\n<!-- reviewed -->\n");
        await _app.CliAsync("release", "create", "-m", "v3: v1's behaviour, a comment added to a file the model never sees");
        File.WriteAllText(_app.ManifestPath, File.ReadAllText(_app.ManifestPath).Replace(
            "options: { first_token_ms: 1, tokens_per_second: 100000 }",
            "options: { first_token_ms: 1, tokens_per_second: 100000, faults: { error_rate: 0.3 } }",
            StringComparison.Ordinal));
        await _app.CliAsync("release", "create", "-m", "v4: v3 with the sim failing three calls in ten");
        _app.ShowRoutingHeaders();
        _models = new ModelClientFactory(TimeProvider.System, PriceTable.For(_app.Manifest));
        _gateway = await GatewayServer.StartAsync(ServingOptions.For(_app.Store, _app.Manifest, "production", _models) with
        {
            Rollouts = null,
            Monitor = null,
            PollInterval = TimeSpan.FromMilliseconds(100),
        }, new GatewayServerOptions { Urls = ["http://127.0.0.1:0"], LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        _models?.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task IdenticalCandidate_ThousandShadows_NeverJudgedHarmAtAnyLook()
    {
        var shadow = await StartAsync("v3");

        var pairs = await TrafficUntilAsync(shadow, s => s.Pairs >= 1000, maxRequests: 3000);

        var judge = Service().Judge();
        var sample = new PairedSample();
        var looks = 0;
        foreach (var pair in pairs.Take(1000))
        {
            sample.Add(pair.ToPair());
            looks++;
            Assert.True(judge.Classify(sample) != PairedOutcome.Harm, $"an identical candidate was judged harm at pair {looks}: {judge.Decide(sample).Reason}");
        }

        Assert.Equal(1000, looks);
        foreach (var e in judge.Decide(sample).Evidence)
        {
            output.WriteLine($"{e.Metric}: n {e.CanaryN} estimate {e.Estimate} [{e.Lower}, {e.Upper}] tolerance {e.ToleranceText} {e.Verdict}");
        }

        Assert.All(pairs, p => Assert.False(p.CandidateError));
        var (exit, stdout, _) = await _app.CliAsync("shadow", "status", "--env", "production");
        Assert.True(exit == 0, stdout);
    }

    [Fact]
    public async Task CandidateFailingThreeCallsInTen_JudgedHarmOnErrorRate_AndRefusedByRequireShadow()
    {
        var shadow = await StartAsync("v4");

        var service = Service();
        var report = await service.ReportAsync("production", default);
        for (var sent = 0; report!.Decision.Outcome != PairedOutcome.Harm; sent += 50)
        {
            Assert.True(sent < 3000, $"a candidate failing 30% of calls was not judged harm after {sent} requests: {report.Decision.Reason}");
            await SendAsync(50, sent);
            await WaitForPairsAsync(shadow, sent + 50);
            report = await service.ReportAsync("production", default);
        }

        var (exit, stdout, _) = await _app.CliAsync("shadow", "status", "--env", "production");
        Assert.Equal(1, exit);
        Assert.Contains("judge: harm", stdout, StringComparison.Ordinal);
        Assert.Contains("error_rate", stdout, StringComparison.Ordinal);
        var refused = await _app.CliAsync("rollout", "start", "v4", "--env", "production", "--force", "--reason", "test", "--require-shadow");
        Assert.Equal(4, refused.Exit);
        Assert.Contains("was judged harm", refused.Err, StringComparison.Ordinal);
        var errors = (await _app.Store.Shadows.PairsAsync(shadow.ShadowId, default)).Count(p => p.CandidateError);
        Assert.InRange(errors, 1, int.MaxValue);
    }

    private ShadowService Service() =>
        new(_app.Manifest, new EnvironmentService(_app.Manifest, _app.Store.Environments, _app.Store.GateVerdicts, _app.Store.Releases, _app.Store.Shadows, TimeProvider.System),
            _app.Store.Environments, _app.Store.Shadows, TimeProvider.System);

    /// <summary>Starts a shadow of <paramref name="release"/> at rate 1 with the CLI and waits until the gateway serves that revision.</summary>
    private async Task<ShadowState> StartAsync(string release)
    {
        var (exit, _, stderr) = await _app.CliAsync("shadow", "start", release, "--env", "production", "--rate", "1", "--max-cost-usd", "50");
        Assert.True(exit == 0, stderr);
        var state = await _app.Store.Environments.GetAsync("support-agent", "production", default);
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var ready = await _http.GetAsync(_gateway!.Urls[0] + "/readyz");
            if ((await ready.Content.ReadAsStringAsync()).Contains($"\"revision\":{state.Revision},", StringComparison.Ordinal))
            {
                return state.Shadow!;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"the gateway did not reach revision {state.Revision}");
    }

    /// <summary><paramref name="n"/> requests from 100 subjects in turn, each answered 200 by stable.</summary>
    private async Task SendAsync(int n, int offset)
    {
        for (var i = offset; i < offset + n; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _gateway!.Urls[0] + "/v1/chat/completions")
            {
                Content = SampleApp.Json($$"""{"model":"support-agent","messages":[{"role":"user","content":"{{Questions[i % Questions.Length]}}"}]}"""),
            };
            request.Headers.Add("Glidepath-Subject", $"subject-{i % 100}");
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("stable", response.Headers.GetValues("Glidepath-Arm").Single());
        }
    }

    private static readonly string[] Questions =
    [
        "How long does shipping take?", "Can I return shoes after 45 days?", "Where is my order A123?", "Do you gift wrap?",
        "How do I reset my password?", "Can I change my delivery address?", "What is your refund policy?",
    ];

    /// <summary>Sends in rounds until <paramref name="enough"/> holds for the shadow's stored spend; returns its pairs.</summary>
    private async Task<IReadOnlyList<ShadowPairRecord>> TrafficUntilAsync(ShadowState shadow, Func<ShadowSpend, bool> enough, int maxRequests)
    {
        for (var sent = 0; ; sent += 100)
        {
            var spend = await _app.Store.Shadows.SpendAsync(shadow.ShadowId, default);
            if (enough(spend))
            {
                return await _app.Store.Shadows.PairsAsync(shadow.ShadowId, default);
            }

            Assert.True(sent < maxRequests, $"only {spend.Pairs} pairs after {sent} requests");
            await SendAsync(100, sent);
            await WaitForPairsAsync(shadow, Math.Min(sent + 100, 1000));
        }
    }

    /// <summary>Waits (generously) until the mirror has stored <paramref name="n"/> pairs.</summary>
    private async Task WaitForPairsAsync(ShadowState shadow, int n)
    {
        var sw = Stopwatch.StartNew();
        while ((await _app.Store.Shadows.SpendAsync(shadow.ShadowId, default)).Pairs < n && sw.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }
    }
}
