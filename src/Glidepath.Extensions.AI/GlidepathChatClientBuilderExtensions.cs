using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Extensions.AI;

/// <summary>Adds <see cref="GlidepathChatClient"/> to a chat client pipeline.</summary>
public static class GlidepathChatClientBuilderExtensions
{
    /// <summary>
    /// Routes each call on the environment's stable/canary split, applies the routed release and records its trace, with the
    /// <see cref="GlidepathRuntime"/> that <c>AddGlidepath</c> registered. By default the release's own model answers and the
    /// inner client is not called; set <see cref="GlidepathChatClient.Mode"/> to <see cref="GlidepathMode.InnerClient"/> in
    /// <paramref name="configure"/> to keep the inner client and apply only the release's prompt, parameters and tools.
    /// </summary>
    public static ChatClientBuilder UseGlidepath(this ChatClientBuilder builder, Action<GlidepathChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var runtime = services.GetService<GlidepathRuntime>()
                ?? throw new InvalidOperationException("UseGlidepath needs Glidepath in the services: call services.AddGlidepath(o => …) first, or pass the runtime to UseGlidepath");
            var client = new GlidepathChatClient(inner, runtime);
            configure?.Invoke(client);
            return client;
        });
    }

    /// <summary>As <see cref="UseGlidepath(ChatClientBuilder, Action{GlidepathChatClient}?)"/>, with a runtime the app manages itself (no dependency injection).</summary>
    public static ChatClientBuilder UseGlidepath(this ChatClientBuilder builder, GlidepathRuntime runtime, Action<GlidepathChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(runtime);
        return builder.Use(inner =>
        {
            var client = new GlidepathChatClient(inner, runtime);
            configure?.Invoke(client);
            return client;
        });
    }
}
