using System.Net;
using Glidepath.Environments;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary>
/// A trial: a gateway cut off from the store kept serving a canary the owners had rolled back, to its share of
/// subjects, for as long as the partition lasted. Past the stale limit it serves stable only, and the canary comes back
/// when the store can be read again (the table is reloaded, as it stands then).
/// </summary>
public sealed class StaleCanaryTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync();
        await _f.StartAsync(s => s with { StaleCanaryLimit = TimeSpan.FromMilliseconds(300) });
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task StoreUnreadablePastTheLimit_CanaryWithheld_ServedAgainOnceTheStoreIsBack()
    {
        var state = await _f.SetAsync(s => s with { Canary = new CanaryState(_f.V2.Id, 100, "seed-1") }, "canary_set");
        await _f.WaitForRevisionAsync(state.Revision);
        Assert.Equal(_f.V2.Label, await ServedReleaseAsync());

        // Moved away and back, as an unreachable mount would be (the same file comes back with its own -wal).
        var away = _f.StorePath + ".away";
        File.Move(_f.StorePath, away);
        await Eventually.TrueAsync(async () => await ServedReleaseAsync() == _f.V1.Label, "the canary was still served past the stale limit");
        Assert.Equal(_f.V1.Label, await ServedReleaseAsync());

        File.Move(away, _f.StorePath);
        await Eventually.TrueAsync(async () => await ServedReleaseAsync() == _f.V2.Label, "the canary never came back once the store could be read");
    }

    [Fact]
    public void StaleCanaryLimit_ZeroOrLess_RefusedAsAServingOption()
    {
        var options = _f.ServingOptions() with { StaleCanaryLimit = TimeSpan.Zero };

        var ex = Assert.Throws<Glidepath.Errors.BadInputException>(options.Validate);

        Assert.Contains(nameof(Glidepath.Serving.ServingOptions.StaleCanaryLimit), ex.Message, StringComparison.Ordinal);
    }

    private async Task<string> ServedReleaseAsync()
    {
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(), r => r.Headers.Add("Glidepath-Subject", "alice"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Glidepath-Release").Single();
    }
}
