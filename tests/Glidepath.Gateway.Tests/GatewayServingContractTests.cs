using System.Net;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;

namespace Glidepath.Gateway.Tests;

/// <summary>The shared serving cases (<see cref="ServingContractTests"/>) against a real gateway, over HTTP in the OpenAI wire format.</summary>
public sealed class GatewayServingContractTests : ServingContractTests
{
    internal override async Task<IServingChannel> StartHostAsync(ServingWorld world)
    {
        // The shared cases read which release and arm served each request: this environment opts in to the headers.
        world.ShowRoutingHeaders();
        var gateway = GatewayFixture.Over(world);
        await gateway.StartAsync();
        return new GatewayChannel(gateway);
    }

    private sealed class GatewayChannel(GatewayFixture gateway) : IServingChannel
    {
        public string Api => "openai";

        public async Task<Served> SendAsync(ServedRequest request)
        {
            using var response = await gateway.PostAsync("/v1/chat/completions", GatewayFixture.Chat(request.Text), r =>
            {
                if (request.Subject is not null)
                {
                    r.Headers.Add("Glidepath-Subject", request.Subject);
                }

                foreach (var (name, value) in request.Vars ?? new Dictionary<string, string>())
                {
                    r.Headers.Add("Glidepath-Var-" + name, value);
                }
            });
            string? text = null;
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                text = doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
            }

            return new Served((int)response.StatusCode, Header(response, "Glidepath-Release"), Header(response, "Glidepath-Arm"), Header(response, "Glidepath-Trace"), text);
        }

        public Task WaitForRevisionAsync(long revision) => gateway.WaitForRevisionAsync(revision);

        public async Task<bool> IsControlPlaneStaleAsync()
        {
            using var ready = await gateway.Http.GetAsync(gateway.Url + "/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode); // traffic is still served
            if (!(await ready.Content.ReadAsStringAsync()).Contains("\"control_plane\":\"stale\"", StringComparison.Ordinal))
            {
                return false;
            }

            using var controlPlane = await gateway.Http.GetAsync(gateway.Url + "/readyz?scope=control-plane");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, controlPlane.StatusCode);
            return true;
        }

        public ValueTask DisposeAsync() => gateway.StopAsync();

        private static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
    }
}
