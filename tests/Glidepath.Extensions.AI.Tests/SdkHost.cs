using Glidepath.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// An app's services with <c>AddGlidepath</c> over a <see cref="ServingWorld"/> (staging, its store and scripted models)
/// and a chat client pipeline; the hosted services are started as a host would start them.
/// </summary>
internal sealed class SdkHost : IAsyncDisposable
{
    private readonly List<IHostedService> _started = [];

    private SdkHost(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public GlidepathRuntime Runtime => Services.GetRequiredService<GlidepathRuntime>();

    public IChatClient Chat => Services.GetRequiredService<IChatClient>();

    /// <param name="pipeline">Registers the app's chat client; default <c>AddGlidepathChatClient()</c> (the release's provider answers).</param>
    /// <param name="models">The model clients; default the world's scripted ones.</param>
    public static async Task<SdkHost> StartAsync(ServingWorld world, Action<IServiceCollection>? pipeline = null, string environment = "staging", Glidepath.Models.IModelClientFactory? models = null)
    {
        var services = new ServiceCollection();
        services.AddGlidepath(o =>
        {
            o.App = "support-agent";
            o.Environment = environment;
            o.Manifest = world.ManifestPath;
            o.StoreInstance = world.Store;
            o.Models = models ?? world.Models;
            o.PollInterval = TimeSpan.FromMilliseconds(100);
        });
        if (pipeline is null)
        {
            services.AddGlidepathChatClient();
        }
        else
        {
            pipeline(services);
        }

        var host = new SdkHost(services.BuildServiceProvider());
        foreach (var hosted in host.Services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
            host._started.Add(hosted);
        }

        return host;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(CancellationToken.None);
        }

        await Services.DisposeAsync();
    }
}
