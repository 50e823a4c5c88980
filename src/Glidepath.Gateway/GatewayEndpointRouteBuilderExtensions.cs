using Glidepath.Gateway.Endpoints;
using Glidepath.Gateway.Wire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway;

/// <summary>Maps the gateway's endpoints into a host's routing.</summary>
public static class GatewayEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the traffic API (<c>POST /v1/chat/completions</c>, <c>POST /v1/messages</c>, <c>POST /v1/feedback</c>,
    /// <c>GET /v1/models</c>) and the probes (<c>/healthz</c>, <c>/readyz</c>, marked anonymous) into one route group,
    /// and returns it: a host adds authentication, an admin API or a dashboard to the group without editing these endpoints.
    /// Callers' keys (<see cref="GatewayOptions.RequireKeys"/>) are checked by the chat and feedback endpoints themselves,
    /// first thing, because a refusal is written in the caller's wire format, which only the endpoint knows.
    /// </summary>
    public static RouteGroupBuilder MapGlidepathGateway(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var chat = endpoints.ServiceProvider.GetService<ChatEndpoint>()
            ?? throw new InvalidOperationException("MapGlidepathGateway needs services.AddGlidepathGateway() (after AddGlidepathServing) in the host's services");
        var group = endpoints.MapGroup("");
        group.MapPost("/v1/chat/completions", (HttpContext http) => chat.HandleAsync(http, OpenAiWire.Instance));
        group.MapPost("/v1/messages", (HttpContext http) => chat.HandleAsync(http, AnthropicWire.Instance));
        group.MapPost("/v1/feedback", FeedbackEndpoint.HandleAsync);
        group.MapGet("/v1/models", ModelsEndpoint.List);
        group.MapGet("/v1/models/{id}", ModelsEndpoint.RetrieveAsync);
        group.MapGet("/healthz", HealthEndpoints.Health).AllowAnonymous();
        group.MapGet("/readyz", HealthEndpoints.Ready).AllowAnonymous();
        group.Map(UnmatchedEndpoint.Pattern, UnmatchedEndpoint.HandleAsync).WithOrder(UnmatchedEndpoint.Order);
        foreach (var path in UnmatchedEndpoint.WithoutPrefix)
        {
            group.Map(path + "/{**rest}", UnmatchedEndpoint.HandleWithoutPrefixAsync).WithOrder(UnmatchedEndpoint.Order);
        }

        return group;
    }
}
