using Glidepath.Access;
using Glidepath.Environments;
using Glidepath.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// In front of every admin endpoint: authenticates the request (401), checks the role its <see cref="AdminAccess"/>
/// needs in the environment of its route (403), then runs it and turns a domain error into its status. Anything that
/// goes wrong while checking — a store error, an endpoint without <see cref="AdminAccess"/> — is a refusal. An
/// environment the manifest does not declare is a 400 naming those it does, before the role check: a 403 would send
/// the caller to ask for a role in an environment that does not exist.
/// </summary>
internal sealed partial class AdminAccessFilter(AdminAuthenticator authenticator, AdminServices services, ILogger<AdminAccessFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<AdminAccess>() is not { } access)
        {
            return AdminResults.Forbidden("this endpoint declares no access rule, so nobody may call it");
        }

        AdminAuthentication result;
        try
        {
            result = await authenticator.AuthenticateAsync(http).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckFailed(logger, access.Operation, ex.GetType().Name);
            return AdminResults.Error(StatusCodes.Status503ServiceUnavailable, "the credential could not be checked (the store or the identity provider is unavailable); nothing was done", 3);
        }

        if (result.Principal is not { } principal)
        {
            return AdminResults.Unauthenticated(result.Refusal!);
        }

        var environment = access.EnvironmentScoped ? http.GetRouteValue("env") as string : null;
        if (environment is not null && environment != Grant.AnyEnvironment && services.Options.Manifest.FindEnvironment(environment) is null)
        {
            return AdminResults.Failure(EnvironmentService.UnknownEnvironment(services.Options.Manifest, environment));
        }

        if ((access.EnvironmentScoped && environment is null) || !principal.Allows(environment, access.Role))
        {
            var where = environment is null ? "in any environment" : $"in '{environment}'";
            return AdminResults.Forbidden($"{principal.Actor} may not {access.Operation} {where}: it needs the {RoleNames.Name(access.Role)} role there (has: {Describe(principal)})");
        }

        AdminPrincipal.Set(http, principal);
        if (NotJson(http.Request) is { } refusal)
        {
            return AdminResults.Error(StatusCodes.Status415UnsupportedMediaType, refusal, 2);
        }

        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (GlidepathException ex)
        {
            return AdminResults.Failure(ex, AdminResults.FromCli(http));
        }
    }

    // A body (or a Content-Type header) must be JSON; a request with neither is the defaults. Cross-site forms are
    // already kept out by the Bearer credential a browser cannot add; this is about telling a caller what to send.
    private static string? NotJson(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method) || (string.IsNullOrEmpty(request.ContentType) && !AdminBody.CanHaveBody(request.HttpContext)))
        {
            return null;
        }

        try
        {
            Forwarding.RequestReader.CheckContentType(request.ContentType);
            return null;
        }
        catch (Wire.WireException ex)
        {
            return ex.Message;
        }
    }

    private static string Describe(Principal principal) => principal.Grants.Count == 0
        ? "no role"
        : string.Join(", ", principal.Grants.Select(g => $"{RoleNames.Name(g.Role)} in {g.Environment}"));

    [LoggerMessage(Level = LogLevel.Warning, Message = "admin API: the credential for {Operation} could not be checked ({Error}); refused")]
    private static partial void LogCheckFailed(ILogger logger, string operation, string error);
}
