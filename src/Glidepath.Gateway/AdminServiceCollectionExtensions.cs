using Glidepath.Gateway.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway;

/// <summary>Composes the admin API (<c>/admin/v1</c>) into a host's services.</summary>
public static class AdminServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <see cref="AdminEndpointRouteBuilderExtensions.MapGlidepathAdmin"/> maps: the use-case services over
    /// <paramref name="options"/>' store, the credential checks (access tokens; OpenID Connect JWTs when
    /// <see cref="AdminOptions.Oidc"/> is set) and the OpenAPI document. The options are validated here.
    /// </summary>
    public static IServiceCollection AddGlidepathAdmin(this IServiceCollection services, AdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<AdminServices>();
        services.AddSingleton(sp => sp.GetRequiredService<AdminServices>().Tokens);
        services.AddSingleton<AdminAuthenticator>();

        services.AddOpenApi(AdminEndpointRouteBuilderExtensions.DocumentName, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith(AdminEndpointRouteBuilderExtensions.Prefix.TrimStart('/'), StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Glidepath admin API";
                document.Info.Description = "The control plane of one app: status, history, releases, gate verdicts, promote, rollback, freeze, rollouts, traces, alerts, keys and tokens. Every operation needs 'Authorization: Bearer' with a Glidepath access token (gpt_…) or an OpenID Connect token; answers are the CLI's --format json output.";
                AddBearerSecurity(document);
                return Task.CompletedTask;
            });

            // The bodies are read with the views' JSON settings (AdminBody): snake_case names, numbers as numbers, no
            // other field. The document's schemas come from the host's web defaults (camelCase, numbers also as
            // strings), which a client generated from it would send and have refused.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type.Namespace == typeof(Admin.Requests.RollbackRequest).Namespace && context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
                {
                    foreach (var (name, property) in schema.Properties?.ToArray() ?? [])
                    {
                        schema.Properties!.Remove(name);
                        if (property is Microsoft.OpenApi.OpenApiSchema { Type: { } type } concrete && type.HasFlag(Microsoft.OpenApi.JsonSchemaType.String)
                            && (type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Integer) || type.HasFlag(Microsoft.OpenApi.JsonSchemaType.Number)))
                        {
                            concrete.Type = type & ~Microsoft.OpenApi.JsonSchemaType.String;
                            concrete.Pattern = null;
                        }

                        schema.Properties![System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name)] = property;
                    }

                    // The fields the operation cannot do without ([Required]: missing or empty is a 400 saying so).
                    if (schema.Required is { Count: > 0 } required)
                    {
                        schema.Required = required.Select(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName).ToHashSet(StringComparer.Ordinal);
                    }

                    schema.AdditionalPropertiesAllowed = false;
                }

                return Task.CompletedTask;
            });

            // Routing accepts any content type so the access filter can answer first (AdminRoutes.AnyContentType); the
            // document says what a body must be.
            o.AddOperationTransformer((operation, _, _) =>
            {
                operation.RequestBody?.Content?.Remove(Admin.AdminRoutes.AnyContentType);
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>The name of the document's one security scheme.</summary>
    internal const string BearerScheme = "bearer";

    /// <summary>
    /// Declares the bearer scheme and requires it on every operation (every one needs a credential: the document itself,
    /// which is public, is not an operation in it), so a client generated from the document sends the token. Until
    /// 2026-12-05 the document declared no scheme, and generated clients sent none.
    /// </summary>
    private static void AddBearerSecurity(Microsoft.OpenApi.OpenApiDocument document)
    {
        document.Components ??= new Microsoft.OpenApi.OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[BearerScheme] = new Microsoft.OpenApi.OpenApiSecurityScheme
        {
            Type = Microsoft.OpenApi.SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A Glidepath access token (gpt_…, from 'glidepath tokens create') or, when the server is given --oidc-*, an OpenID Connect token (a JWT). A caller's key (gpk_…) is for the traffic API and is refused here.",
        };

        foreach (var path in document.Paths.Values)
        {
            foreach (var operation in path.Operations?.Values ?? Enumerable.Empty<Microsoft.OpenApi.OpenApiOperation>())
            {
                operation.Security ??= [];
                operation.Security.Add(new Microsoft.OpenApi.OpenApiSecurityRequirement { [new Microsoft.OpenApi.OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
            }
        }
    }
}
