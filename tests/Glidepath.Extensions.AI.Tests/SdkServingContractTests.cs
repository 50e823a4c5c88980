using Glidepath.Extensions.AI;
using Microsoft.Extensions.AI;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>The shared serving cases (<see cref="ServingContractTests"/>) against the SDK: <c>AddGlidepath</c> + <c>AddGlidepathChatClient</c>, in-process.</summary>
public sealed class SdkServingContractTests : ServingContractTests
{
    internal override async Task<IServingChannel> StartHostAsync(ServingWorld world) => new SdkChannel(await SdkHost.StartAsync(world));

    private sealed class SdkChannel(SdkHost host) : IServingChannel
    {
        public string Api => GlidepathChatClient.Api;

        public async Task<Served> SendAsync(ServedRequest request)
        {
            var options = new ChatOptions { AdditionalProperties = [] };
            if (request.Subject is not null)
            {
                options.AdditionalProperties[GlidepathProperties.Subject] = request.Subject;
            }

            if (request.Vars is not null)
            {
                options.AdditionalProperties[GlidepathProperties.Vars] = request.Vars;
            }

            try
            {
                var response = await host.Chat.GetResponseAsync(request.Text, options);
                var said = response.AdditionalProperties!;
                return new Served(200, (string?)said[GlidepathProperties.Release], (string?)said[GlidepathProperties.Arm], (string?)said[GlidepathProperties.TraceId], response.Text);
            }
            catch (GlidepathChatException ex)
            {
                return new Served(ex.Status, ex.Release, ex.Arm, ex.TraceId, null);
            }
        }

        public async Task WaitForRevisionAsync(long revision)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (host.Runtime.Chat.Routes?.Revision < revision && DateTime.UtcNow < deadline)
            {
                await Task.Delay(25);
            }

            Assert.True(host.Runtime.Chat.Routes!.Revision >= revision, $"the SDK did not reach revision {revision}");
        }

        public Task<bool> IsControlPlaneStaleAsync() => Task.FromResult(host.Runtime.ControlPlane.Stale);

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }
}
