using Glidepath.Gateway.Endpoints;
using Glidepath.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway;

/// <summary>Composes the gateway's endpoints into a host's services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <see cref="GatewayEndpointRouteBuilderExtensions.MapGlidepathGateway"/> maps, over a serving core
    /// added with <see cref="ServingServiceCollectionExtensions.AddGlidepathServing"/>. The options are validated here.
    /// </summary>
    public static IServiceCollection AddGlidepathGateway(this IServiceCollection services, GatewayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(ServingOptions)))
        {
            throw new InvalidOperationException("AddGlidepathGateway needs the serving core: call services.AddGlidepathServing(options) first");
        }

        options ??= new GatewayOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<Forwarding.CallerAuthentication>();
        services.AddSingleton<Forwarding.ProbeAccess>();
        services.AddSingleton<ChatEndpoint>();

        // After the serving core's startup (which loads the keys), before the server listens.
        services.AddHostedService<Hosting.KeysRequiredCheck>();
        return services;
    }
}
