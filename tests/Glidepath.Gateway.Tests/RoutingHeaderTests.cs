using System.Net;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests;

/// <summary>
/// <c>Glidepath-Release</c> and <c>Glidepath-Arm</c> are off by default: an answer that names its arm lets any caller
/// learn its subjects' arms and aim requests the provider rejects at one of them (docs/security.md). No answer carries
/// them — OpenAI and Anthropic wire, whole and streamed, passed through and translated, a provider failure after
/// routing — unless the environment sets <c>routing_headers: true</c>; <c>Glidepath-Trace</c> (and an answer's
/// <c>Server-Timing</c>) stay.
/// </summary>
public sealed class RoutingHeaderTests
{
    private const string Chat = "/v1/chat/completions", Messages = "/v1/messages";

    /// <summary>The release's provider (its own wire is passed through, the other one translated) × the manifest setting.</summary>
    public static TheoryData<string, bool> Cases() => new()
    {
        { "openai", false },
        { "anthropic", false },
        { "openai", true },
        { "anthropic", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Answer_EveryWireShapeAndOutcome_RoutingHeadersOnlyWhereTheEnvironmentOptsIn(string provider, bool routingHeaders)
    {
        await using var f = await GatewayFixture.CreateAsync(upstream: new GatewayUpstream(provider, PassThrough: true));
        if (routingHeaders)
        {
            f.ShowRoutingHeaders();
        }

        await f.SetAsync(s => s with { Canary = new CanaryState(f.V2.Id, 100, "seed-1") }, "canary_set");
        await f.StartAsync();
        var model = f.Models.For("canary-model");

        foreach (var path in (string[])[Chat, Messages])
        {
            foreach (var stream in (bool[])[false, true])
            {
                foreach (var fails in (bool[])[false, true])
                {
                    model.Failure = fails ? new ProviderException("sim", 500, "boom", ProviderFailure.ServerError) : null;
                    var extra = stream ? ""","stream":true""" : "";
                    var body = path == Chat ? GatewayFixture.Chat(extra: extra) : GatewayFixture.Message(extra: extra);
                    var passedThrough = (path == Chat) == (provider == "openai");
                    var shape = $"{path} stream={stream} provider_fails={fails} pass_through={passedThrough}";

                    using var response = await f.PostAsync(path, body, r => r.Headers.Add("Glidepath-Subject", "mallory"));
                    await response.Content.ReadAsStringAsync();

                    Assert.True(response.StatusCode == (fails ? HttpStatusCode.BadGateway : HttpStatusCode.OK), $"{shape}: {(int)response.StatusCode}");
                    Assert.True((routingHeaders ? f.V2.Label : null) == Header(response, "Glidepath-Release"), $"{shape}: Glidepath-Release {Header(response, "Glidepath-Release")}");
                    Assert.True((routingHeaders ? "canary" : null) == Header(response, "Glidepath-Arm"), $"{shape}: Glidepath-Arm {Header(response, "Glidepath-Arm")}");
                    Assert.Matches("^[0-9a-f]{32}$", Header(response, "Glidepath-Trace"));
                    if (!fails)
                    {
                        Assert.StartsWith("gateway;dur=", Header(response, "Server-Timing"), StringComparison.Ordinal);
                    }

                    // The trace still tells an operator which release answered.
                    var trace = await f.TraceAsync(Header(response, "Glidepath-Trace")!);
                    Assert.Equal((f.V2.Id, "canary"), (trace.ReleaseId, trace.Arm));
                }
            }
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}
