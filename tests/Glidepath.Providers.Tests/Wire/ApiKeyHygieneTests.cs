using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Glidepath.Testing;

namespace Glidepath.Providers.Tests.Wire;

/// <summary>An API key is sent to the provider and nowhere else: not the store, not a log line, not an exception.</summary>
public sealed class ApiKeyHygieneTests
{
    private const string Sentinel = "sk-SENTINEL-7f3a9c2e51b84d06a1";

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task ProviderEchoesKey_KeyAbsentFromExceptionLogsAndStore(string provider)
    {
        var wire = WireFormat.Of(provider);
        await using var server = await FakeProviderServer.StartAsync();
        var dir = Path.Combine(Path.GetTempPath(), "glidepath-key-" + Guid.NewGuid().ToString("N")[..10]);
        var logs = new CapturingLoggerProvider();
        await using (var store = await SqliteStore.OpenAsync(Path.Combine(dir, "glidepath.db"), TimeProvider.System, CancellationToken.None))
        {
            using var factory = new ModelClientFactory(
                TimeProvider.System,
                new PriceTable(),
                store.ResponseCache,
                LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)),
                new ModelClientDefaults { RetryBaseDelay = TimeSpan.FromMilliseconds(5), GetEnvironmentVariable = n => n == "SENTINEL_KEY" ? Sentinel : null });
            var settings = new ProviderSettings { BaseUrl = wire.BaseUrl(server.BaseUrl), ApiKeyEnv = "SENTINEL_KEY", MaxRetries = 2 };
            var model = new ModelSpec { Provider = provider, Name = wire.Model };

            // A successful call goes through the cache into the store.
            server.Enqueue(FakeProviderServer.Json(wire.Text("Items can be returned within 30 days.", 10, 5)));
            var ok = await factory.Create(model, settings, new ModelClientOptions { Cache = ResponseCacheMode.Use }).GetResponseAsync([new ChatMessage(ChatRole.User, "return window?")]);
            Assert.Equal("Items can be returned within 30 days.", ok.Text);

            // Then the provider rate-limits and rejects, echoing the key as real providers partly do.
            server.Enqueue(
                FakeProviderServer.Json(wire.Error($"rate limit exceeded for key {Sentinel}"), 429, ("retry-after", "0")),
                FakeProviderServer.Json(wire.Error($"Incorrect API key provided: {Sentinel}. You can find your key at the console."), 401));
            var ex = await Assert.ThrowsAsync<ProviderException>(() =>
                factory.Create(model, settings, new ModelClientOptions()).GetResponseAsync([new ChatMessage(ChatRole.User, "hello")]));

            Assert.Equal(401, ex.StatusCode);
            Assert.Contains("Incorrect API key provided", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Sentinel, ex.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Sentinel[..12], ex.ProviderMessage, StringComparison.Ordinal);
        }

        // The key did reach the provider (so the checks above are not vacuous)...
        Assert.All(server.Requests, r => Assert.Contains(r.Headers, h => h.Value.Contains(Sentinel, StringComparison.Ordinal)));

        // ...and nothing else.
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Sentinel, StringComparison.Ordinal));
        SqlitePools.ClearFolder(dir);
        foreach (var file in Directory.GetFiles(dir))
        {
            var text = System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            Assert.DoesNotContain(Sentinel, text, StringComparison.Ordinal);
        }

        Assert.Contains(Directory.GetFiles(dir), f => new FileInfo(f).Length > 0);
        Directory.Delete(dir, recursive: true);
    }
}
