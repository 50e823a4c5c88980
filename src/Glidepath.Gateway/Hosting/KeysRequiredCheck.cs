using Glidepath.Serving;
using Glidepath.Serving.Keys;
using Microsoft.Extensions.Hosting;

namespace Glidepath.Gateway.Hosting;

/// <summary>
/// Refuses to start a gateway that requires callers' keys while its environment has none that works. Runs as a hosted
/// service after the serving core loaded the keys and before Kestrel listens, so a refused gateway never binds.
/// </summary>
internal sealed class KeysRequiredCheck(GatewayOptions options, CallerKeys keys, ServingOptions serving) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GatewayAuthentication.CheckKeysExist(options.RequireKeys, keys.WorkingKeys, serving.Environment);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
