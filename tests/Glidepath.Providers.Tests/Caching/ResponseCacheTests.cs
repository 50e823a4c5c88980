using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers.Tests.Wire;
using Glidepath.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Glidepath.Testing;

namespace Glidepath.Providers.Tests.Caching;

/// <summary>The eval response cache, on a real SQLite store, in front of a real HTTP provider.</summary>
public sealed class ResponseCacheTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "glidepath-cache-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
    private FakeProviderServer _server = null!;
    private SqliteStore _store = null!;
    private ModelClientFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeProviderServer.StartAsync();
        _store = await SqliteStore.OpenAsync(Path.Combine(_dir, "glidepath.db"), _time, CancellationToken.None);
        _factory = new ModelClientFactory(_time, new PriceTable(), _store.ResponseCache, defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "k" });
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _store.DisposeAsync();
        await _server.DisposeAsync();
        SqlitePools.ClearFolder(_dir);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task GetResponse_SameCallTwice_SecondServedFromCacheAndMarked()
    {
        _server.Enqueue(FakeProviderServer.Json(WireFormat.OpenAI.Text("thirty days", 10, 2)));

        var first = await Client(trial: 0).GetResponseAsync(Messages());
        var second = await Client(trial: 0).GetResponseAsync(Messages());

        Assert.Single(_server.Requests);
        Assert.Equal("thirty days", second.Text);
        Assert.Equal(2, second.Usage?.OutputTokenCount);
        Assert.False(first.AdditionalProperties?.ContainsKey(ModelResponseProperties.Cached) ?? false);
        Assert.Equal(true, second.AdditionalProperties?[ModelResponseProperties.Cached]);
    }

    // The cached answer carries the time the provider took (here 850 ms on the fake clock), which an eval counts as
    // its latency; an entry written before answers kept it is called again rather than measured at 0 ms.
    [Fact]
    public async Task GetResponse_CachedAnswer_KeepsTheProvidersLatency_AnEntryWithoutOneIsCalledAgain()
    {
        _server.Enqueue(Slow(FakeProviderServer.Json(WireFormat.OpenAI.Text("thirty days", 10, 2))), FakeProviderServer.Json(WireFormat.OpenAI.Text("again", 10, 2)));

        await Client(trial: 0).GetResponseAsync(Messages());
        var cached = await Client(trial: 0).GetResponseAsync(Messages());
        await _factory.FlushAsync(CancellationToken.None);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_dir, "glidepath.db")};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var strip = connection.CreateCommand();
            strip.CommandText = "UPDATE response_cache SET response_json = replace(response_json, '\"glidepath.latency_ms\":850', '\"x\":850') WHERE response_json LIKE '%\"glidepath.latency_ms\":850%'";
            Assert.Equal(1, await strip.ExecuteNonQueryAsync());
        }

        var old = await Client(trial: 0).GetResponseAsync(Messages());

        Assert.Equal(850, ModelResponseProperties.LatencyOf(cached.AdditionalProperties));
        Assert.Equal("thirty days", cached.Text);
        Assert.Equal("again", old.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    private Func<Microsoft.AspNetCore.Http.HttpContext, Task> Slow(Func<Microsoft.AspNetCore.Http.HttpContext, Task> answer) => ctx =>
    {
        _time.Advance(TimeSpan.FromMilliseconds(850));
        return answer(ctx);
    };

    [Fact]
    public async Task GetResponse_OtherTrialOrMessage_MissesTheCache()
    {
        _server.Enqueue(
            FakeProviderServer.Json(WireFormat.OpenAI.Text("a", 10, 2)),
            FakeProviderServer.Json(WireFormat.OpenAI.Text("b", 10, 2)),
            FakeProviderServer.Json(WireFormat.OpenAI.Text("c", 10, 2)));

        await Client(trial: 0).GetResponseAsync(Messages());
        var otherTrial = await Client(trial: 1).GetResponseAsync(Messages());
        var otherMessage = await Client(trial: 0).GetResponseAsync(Messages("something else"));

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal("b", otherTrial.Text);
        Assert.Equal("c", otherMessage.Text);
    }

    [Fact]
    public async Task GetResponse_AfterTtl_CallsTheProviderAgain()
    {
        _server.Enqueue(FakeProviderServer.Json(WireFormat.OpenAI.Text("old", 10, 2)), FakeProviderServer.Json(WireFormat.OpenAI.Text("new", 10, 2)));

        await Client(trial: 0).GetResponseAsync(Messages());
        _time.Advance(TimeSpan.FromDays(13));
        var within = await Client(trial: 0).GetResponseAsync(Messages());
        _time.Advance(TimeSpan.FromDays(2));
        var after = await Client(trial: 0).GetResponseAsync(Messages());

        Assert.Equal("old", within.Text);
        Assert.Equal("new", after.Text);
        Assert.Equal(2, _server.Requests.Count);
        await _factory.FlushAsync(CancellationToken.None);
        Assert.Equal(1, await _store.ResponseCache.PurgeExpiredAsync(_time.GetUtcNow() + TimeSpan.FromDays(15), CancellationToken.None));
    }

    [Fact]
    public async Task GetStreamingResponse_SecondTime_ReplaysFromCache()
    {
        _server.Enqueue(FakeProviderServer.Sse(WireFormat.OpenAI.Stream(["thirty ", "days"], 10, 2)));

        var first = await Collect(Client(trial: 0).GetStreamingResponseAsync(Messages()));
        var second = await Collect(Client(trial: 0).GetStreamingResponseAsync(Messages()));

        Assert.Single(_server.Requests);
        Assert.Equal("thirty days", first.ToChatResponse().Text);
        Assert.Equal("thirty days", second.ToChatResponse().Text);
    }

    [Fact]
    public async Task GetResponse_CacheOff_AlwaysCallsTheProvider()
    {
        _server.Enqueue(FakeProviderServer.Json(WireFormat.OpenAI.Text("a", 10, 2)), FakeProviderServer.Json(WireFormat.OpenAI.Text("b", 10, 2)));
        var client = _factory.Create(Model(), Settings(), new ModelClientOptions { Cache = ResponseCacheMode.Off });

        await client.GetResponseAsync(Messages());
        var second = await client.GetResponseAsync(Messages());

        Assert.Equal("b", second.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    // An eval's --no-cache calls every time and writes over the entry (trial index for trial index), so the next cached
    // run replays the fresh answer. Before, it wrote nothing and the next cached run replayed the older one.
    [Fact]
    public async Task GetResponse_Refresh_CallsTheProviderDespiteTheEntry_AndTheNextCachedCallGetsTheFreshAnswer()
    {
        _server.Enqueue(FakeProviderServer.Json(WireFormat.OpenAI.Text("old", 10, 2)), FakeProviderServer.Json(WireFormat.OpenAI.Text("new", 10, 2)));

        await Client(trial: 0).GetResponseAsync(Messages());
        var refreshed = await _factory.Create(Model(), Settings(), new ModelClientOptions { Cache = ResponseCacheMode.Refresh, TrialIndex = 0 }).GetResponseAsync(Messages());
        await _factory.FlushAsync(CancellationToken.None);
        using var next = new ModelClientFactory(_time, new PriceTable(), _store.ResponseCache, defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "k" });
        var cached = await next.Create(Model(), Settings(), new ModelClientOptions { Cache = ResponseCacheMode.Use, TrialIndex = 0 }).GetResponseAsync(Messages());

        Assert.Equal("new", refreshed.Text);
        Assert.Equal(true, cached.AdditionalProperties?[ModelResponseProperties.Cached]);
        Assert.Equal("new", cached.Text);
        Assert.Equal(2, _server.Requests.Count);
    }

    // A judge that once answered in prose (no score: a trial error) kept every cached gate failing for 14 days.
    [Fact]
    public async Task GetResponse_AnswerNotCacheable_IsNotWrittenAndTheNextCallAsksAgain()
    {
        _server.Enqueue(
            FakeProviderServer.Json(WireFormat.OpenAI.Text("I think it is fine.", 10, 5)),
            FakeProviderServer.Json(WireFormat.OpenAI.Text("{\"score\": 0.9}", 10, 5)));

        var prose = await Judge().GetResponseAsync(Messages());
        await _factory.FlushAsync(CancellationToken.None);
        var score = await Judge().GetResponseAsync(Messages());
        var cached = await Judge().GetResponseAsync(Messages());

        Assert.Equal("I think it is fine.", prose.Text);
        Assert.Equal("{\"score\": 0.9}", score.Text);
        Assert.Equal(true, cached.AdditionalProperties?[ModelResponseProperties.Cached]);
        Assert.Equal(2, _server.Requests.Count);
    }

    // An entry an older version wrote for such an answer is not served: the call is made again and its answer replaces it.
    [Fact]
    public async Task GetResponse_CachedEntryNotCacheable_IsCalledAgainNotServed()
    {
        _server.Enqueue(
            FakeProviderServer.Json(WireFormat.OpenAI.Text("I think it is fine.", 10, 5)),
            FakeProviderServer.Json(WireFormat.OpenAI.Text("{\"score\": 0.9}", 10, 5)));
        await Client(trial: 0).GetResponseAsync(Messages()); // written without the check
        await _factory.FlushAsync(CancellationToken.None);

        var again = await Judge().GetResponseAsync(Messages());

        Assert.Equal("{\"score\": 0.9}", again.Text);
        Assert.False(again.AdditionalProperties?.ContainsKey(ModelResponseProperties.Cached) ?? false);
        Assert.Equal(2, _server.Requests.Count);
    }

    // Trial gatejudge HIGH 1: an eval's judge client keys its answers by trial and by its scope, so an entry of another
    // trial, or one written before judge calls had a scope (every trial of a case read trial 0's), is never served.
    [Fact]
    public async Task GetResponse_JudgeScopeAndTrial_EntryOfAnotherTrialOrWrittenWithoutTheScope_IsNotServed()
    {
        _server.Enqueue(
            FakeProviderServer.Json(WireFormat.OpenAI.Text("{\"score\": 0.1}", 10, 5)),
            FakeProviderServer.Json(WireFormat.OpenAI.Text("{\"score\": 0.9}", 10, 5)),
            FakeProviderServer.Json(WireFormat.OpenAI.Text("{\"score\": 0.3}", 10, 5)));
        await Client(trial: 0).GetResponseAsync(Messages()); // as a judge's answer was cached before: no scope, trial 0
        await _factory.FlushAsync(CancellationToken.None);

        var trial0 = await JudgeAt(0).GetResponseAsync(Messages());
        var trial1 = await JudgeAt(1).GetResponseAsync(Messages());
        await _factory.FlushAsync(CancellationToken.None);
        var trial0Again = await JudgeAt(0).GetResponseAsync(Messages());
        var trial1Again = await JudgeAt(1).GetResponseAsync(Messages());

        Assert.Equal(("{\"score\": 0.9}", "{\"score\": 0.3}"), (trial0.Text, trial1.Text));
        Assert.Equal((trial0.Text, trial1.Text), (trial0Again.Text, trial1Again.Text));
        Assert.Equal(true, trial0Again.AdditionalProperties?[ModelResponseProperties.Cached]);
        Assert.Equal(3, _server.Requests.Count);
    }

    private IChatClient JudgeAt(int trial) => _factory.Create(Model(), Settings(), new ModelClientOptions
    {
        Cache = ResponseCacheMode.Use,
        TrialIndex = trial,
        CacheScope = ModelClientOptions.JudgeCacheScope,
    });

    private IChatClient Judge() => _factory.Create(Model(), Settings(), new ModelClientOptions
    {
        Cache = ResponseCacheMode.Use,
        Cacheable = r => r.Text.StartsWith('{'),
    });

    private IChatClient Client(int trial) => _factory.Create(Model(), Settings(), new ModelClientOptions { Cache = ResponseCacheMode.Use, TrialIndex = trial });

    private static ModelSpec Model() => new() { Provider = "openai", Name = "gpt-4o-mini", Parameters = new ModelParameters { Temperature = 0.5 } };

    private ProviderSettings Settings() => new() { BaseUrl = WireFormat.OpenAI.BaseUrl(_server.BaseUrl), ApiKeyEnv = "K", MaxRetries = 0 };

    private static List<ChatMessage> Messages(string text = "How long do I have to return an item?") =>
        [new(ChatRole.System, "Policies: returns within 30 days."), new(ChatRole.User, text)];

    private static async Task<List<ChatResponseUpdate>> Collect(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var u in updates)
        {
            list.Add(u);
        }

        return list;
    }

    [Fact]
    public async Task GetResponse_ManyAnswers_WrittenInBatchesOffTheCallPathAndAllStoredAfterFlush()
    {
        for (var i = 0; i < 300; i++)
        {
            _server.Enqueue(FakeProviderServer.Json(WireFormat.OpenAI.Text("answer " + i, 10, 2)));
        }

        await Parallel.ForAsync(0, 300, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await Client(trial: 0).GetResponseAsync(Messages("question " + i), cancellationToken: ct));
        await _factory.FlushAsync(CancellationToken.None);

        // Every answer is in the store (a new factory has no queue to read from), and a repeat makes no provider call.
        using var fresh = new ModelClientFactory(_time, new PriceTable(), _store.ResponseCache, defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "k" });
        for (var i = 0; i < 300; i += 37)
        {
            var again = await fresh.Create(Model(), Settings(), new ModelClientOptions { Cache = ResponseCacheMode.Use, TrialIndex = 0 }).GetResponseAsync(Messages("question " + i));
            Assert.True(again.AdditionalProperties?.ContainsKey(ModelResponseProperties.Cached) == true, $"question {i} was not cached");
        }

        Assert.Equal(300, _server.Requests.Count);
    }
}
