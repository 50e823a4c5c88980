using System.Collections.Concurrent;
using System.Diagnostics;
using Glidepath.Traces;
using Xunit.Abstractions;

namespace Glidepath.IntegrationTests;

/// <summary>
/// Issue 16, traces at volume: three <c>glidepath serve</c> processes on one PostgreSQL database under steady load
/// (a rollout at its first step, so both arms serve), one of them killed with SIGKILL mid-load. Every request a
/// surviving gateway answered has its trace; the killed gateway's answered requests without a trace (those in
/// flight or queued at the kill) are counted and reported; and the per-arm aggregates the judge reads equal a
/// recount of the stored traces (refusals, which are traced but not judged, left out as the aggregator leaves them out).
/// </summary>
public sealed class SustainedLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Env = "production";

    // A guard against a hang, not a timing assertion.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(90);

    private readonly HttpClient _http = new();
    private TestPostgres _db = null!;
    private SampleApp _app = null!;

    public async Task InitializeAsync()
    {
        _db = await TestPostgres.CreateDatabaseAsync();

        // The rollout stays at its first step (10%) for the whole test: min_requests is out of reach.
        _app = await SampleApp.CreateAsync(yaml => yaml
            .Replace("steps: [1, 5, 25, 50, 100]", "steps: [10, 100]", StringComparison.Ordinal)
            .Replace("min_requests: 200", "min_requests: 1000000", StringComparison.Ordinal), storeLocation: _db.ConnectionString);
        Assert.Equal(0, (await _app.CliAsync("promote", "v1", "--env", Env)).Exit);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task ThreeGatewaysOneKilled_EveryAnsweredRequestTracedExceptTheKilledOnesInFlight_AggregatesEqualARecount()
    {
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        string[] options = ["--poll-ms", "1000"];
        await using var a = await GatewayProcess.StartAsync(_app.ManifestPath, _db.ConnectionString, Env, options);
        await using var b = await GatewayProcess.StartAsync(_app.ManifestPath, _db.ConnectionString, Env, options);
        await using var c = await GatewayProcess.StartAsync(_app.ManifestPath, _db.ConnectionString, Env, options);
        var start = await _app.CliAsync("rollout", "start", "v2", "--env", Env, "--force", "--reason", "sustained load test");
        Assert.True(start.Exit == 0, start.Err);

        var gateways = new[] { a, b, c };
        var answered = gateways.Select(_ => new ConcurrentBag<string>()).ToArray();
        using var stopAll = new CancellationTokenSource();
        using var stopKilled = CancellationTokenSource.CreateLinkedTokenSource(stopAll.Token);
        var workers = new List<Task>();
        for (var g = 0; g < gateways.Length; g++)
        {
            for (var w = 0; w < 4; w++)
            {
                var (gateway, bag, token, worker) = (gateways[g], answered[g], g == 2 ? stopKilled.Token : stopAll.Token, (g * 4) + w);
                workers.Add(Task.Run(() => LoadAsync(gateway, bag, worker, token)));
            }
        }

        // Load on all three, then SIGKILL one while its workers are still sending, then load on the two left.
        await WaitUntilAsync(() => answered.All(x => x.Count >= 150), "every gateway answered 150");

        // Killed once its writer has stored some of its traces, so the kill falls between written and queued ones.
        await WaitUntilAsync(() => Stored(since).Overlaps(answered[2]), "the gateway to be killed has stored traces");
        c.Kill();
        var answeredByKilled = answered[2].ToHashSet(StringComparer.Ordinal);
        await stopKilled.CancelAsync();
        var atKill = (answered[0].Count, answered[1].Count);
        await WaitUntilAsync(() => answered[0].Count >= atKill.Item1 + 150 && answered[1].Count >= atKill.Item2 + 150, "the survivors answered 150 more each");
        await stopAll.CancelAsync();
        await Task.WhenAll(workers);

        // The survivors' batch writers flush on their own: wait for every trace they answered.
        var survivors = answered[0].Concat(answered[1]).ToHashSet(StringComparer.Ordinal);
        HashSet<string> stored = [];
        await WaitUntilAsync(
            () =>
            {
                stored = Stored(since);
                return survivors.IsSubsetOf(stored);
            },
            "every trace the surviving gateways answered is stored");

        var lost = answeredByKilled.Where(id => !stored.Contains(id)).ToList();
        output.WriteLine($"answered: {answered[0].Count} + {answered[1].Count} by the survivors, {answeredByKilled.Count} by the killed gateway; " +
            $"traces stored {stored.Count}; answered by the killed gateway without a trace (in flight or queued at the kill): {lost.Count}");
        Assert.True(lost.Count < answeredByKilled.Count, "the killed gateway's stored traces are gone");

        // What the judge reads (per-arm aggregates) equals a recount of the stored traces, arm by arm.
        var traces = await _app.Store.Traces.ListAsync(new TraceQuery { App = "support-agent", Environment = Env, Since = since, Limit = 1_000_000 }, default);
        // A refusal (a 4xx that is the caller's doing, such as a request the caller abandoned) is traced but not judged.
        var judged = traces.Where(t => !TraceAggregator.IsRefusal(t)).ToList();
        output.WriteLine($"stored traces by status: {string.Join(", ", traces.GroupBy(t => t.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))}");
        var recount = judged.GroupBy(t => (t.ReleaseId, t.Arm)).ToDictionary(x => x.Key, x => (long)x.Count());
        var aggregates = (await _app.Store.Traces.ArmStatsAsync("support-agent", Env, since, null, default))
            .GroupBy(s => (s.ReleaseId, s.Arm)).ToDictionary(x => x.Key, x => x.Sum(s => s.Count));
        Assert.Equal(recount.OrderBy(x => x.Key.Arm).ThenBy(x => x.Key.ReleaseId), aggregates.OrderBy(x => x.Key.Arm).ThenBy(x => x.Key.ReleaseId));
        Assert.Equal(2, recount.Count); // both arms served
    }

    private HashSet<string> Stored(DateTimeOffset since)
    {
        var list = _app.Store.Traces.ListAsync(new TraceQuery { App = "support-agent", Environment = Env, Since = since, Limit = 1_000_000 }, default).GetAwaiter().GetResult();
        return list.Select(t => t.TraceId).ToHashSet(StringComparer.Ordinal);
    }

    private async Task LoadAsync(GatewayProcess gateway, ConcurrentBag<string> answered, int worker, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url + "/v1/chat/completions")
            {
                Content = SampleApp.Json("""{"model":"support-agent","messages":[{"role":"user","content":"How long does shipping take?"}]}"""),
            };
            request.Headers.Add("Glidepath-Subject", $"user-{worker}-{i % 40}");
            try
            {
                using var response = await _http.SendAsync(request, stop);
                if (response.IsSuccessStatusCode && response.Headers.TryGetValues("Glidepath-Trace", out var ids))
                {
                    answered.Add(ids.Single());
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // The killed gateway's connections fail; a cancelled send was not answered.
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Hang, $"not reached within {Hang.TotalSeconds:0} s: {what}");
            await Task.Delay(100);
        }
    }
}
