using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers.Tests.Wire;

namespace Glidepath.Providers.Tests.Resilience;

/// <summary>The model pipeline the resilience tests build against a fake provider: a key by variable, short retry delays.</summary>
internal static class ResilienceKit
{
    public const string KeyEnv = "GLIDEPATH_TEST_KEY";

    public static ModelClientFactory Factory(TimeProvider? time = null) => new(
        time ?? TimeProvider.System,
        new PriceTable(),
        defaults: new ModelClientDefaults { RetryBaseDelay = TimeSpan.FromMilliseconds(10), GetEnvironmentVariable = n => n == KeyEnv ? "sk-test-0123456789abcdef" : null });

    public static ModelSpec Model(WireFormat wire) => new() { Provider = wire.Provider, Name = wire.Model, Parameters = new ModelParameters { MaxTokens = 300 } };

    public static ProviderSettings Settings(WireFormat wire, FakeProviderServer server, int maxRetries) => new()
    {
        BaseUrl = wire.BaseUrl(server.BaseUrl),
        ApiKeyEnv = KeyEnv,
        Timeout = TimeSpan.FromSeconds(10),
        MaxRetries = maxRetries,
    };
}
