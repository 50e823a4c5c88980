using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Glidepath.Extensions.AI;

/// <summary>Adds Glidepath to an app's services.</summary>
public static class GlidepathServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="GlidepathRuntime"/> for one environment of one app as a singleton and a hosted service: when
    /// the host starts it loads the routing table (the start fails when the store cannot be read), then follows the
    /// environment and writes traces in the background. The options are checked here.
    /// </summary>
    /// <example><code>
    /// builder.Services.AddGlidepath(o =&gt; { o.App = "support-agent"; o.Environment = "production"; o.Manifest = "glidepath.yaml"; });
    /// </code></example>
    public static IServiceCollection AddGlidepath(this IServiceCollection services, Action<GlidepathOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (services.Any(d => d.ServiceType == typeof(GlidepathRuntime)))
        {
            throw new InvalidOperationException("AddGlidepath was already called on these services: one app process serves one environment");
        }

        var options = new GlidepathOptions();
        configure(options);
        options.Validate();
        services.AddSingleton(sp => new GlidepathRuntime(options, sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance, sp.GetService<IMeterFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<GlidepathRuntime>());
        return services;
    }

    /// <summary>
    /// Registers an <see cref="IChatClient"/> that answers every call with the routed release's own model through
    /// Glidepath's providers pipeline (<see cref="GlidepathMode.ReleaseProvider"/>): the app needs no model client of its
    /// own. Returns the builder, so more middleware (logging, function invocation) can go on top.
    /// </summary>
    public static ChatClientBuilder AddGlidepathChatClient(this IServiceCollection services, Action<GlidepathChatClient>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddChatClient(sp =>
        {
            var client = sp.GetRequiredService<GlidepathRuntime>().CreateChatClient();
            configure?.Invoke(client);
            return client;
        });
    }
}
