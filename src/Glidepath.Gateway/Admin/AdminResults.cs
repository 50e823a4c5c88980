using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Views;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// How the admin API answers: a view in the CLI's JSON (<see cref="ViewJson"/>), or an error as the CLI prints one under
/// <c>--format json</c> (<c>{"error": …, "exit_code": …}</c>) with the HTTP status its <see cref="FailureKind"/> maps to.
/// </summary>
internal static class AdminResults
{
    public static IResult View(object value, int status = StatusCodes.Status200OK) => new JsonViewResult(value, status);

    /// <summary>400 bad input (exit 2), 409 refused by policy or conflict (exit 4), 503 operational (exit 3).</summary>
    public static IResult Failure(GlidepathException ex, bool inCliTerms = false)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var (status, exit) = ex.Kind switch
        {
            FailureKind.BadInput => (StatusCodes.Status400BadRequest, 2),
            FailureKind.Refused => (StatusCodes.Status409Conflict, 4),
            _ => (StatusCodes.Status503ServiceUnavailable, 3),
        };
        return Error(status, inCliTerms ? ex.Message : AdminWording.InBodyTerms(ex.Message), exit);
    }

    /// <summary>Whether the caller is the glidepath CLI, which is told things in its own flags' terms (<c>--rate</c>, not <c>'rate'</c>).</summary>
    public static bool FromCli(HttpContext http) =>
        http.Request.Headers[AdminEndpointRouteBuilderExtensions.ClientHeader] == AdminEndpointRouteBuilderExtensions.CliClient;

    /// <summary>A service's message in the caller's terms: as it is for the CLI, with the body's field names for anyone else.</summary>
    public static string InCallerTerms(HttpContext http, string message) => FromCli(http) ? message : AdminWording.InBodyTerms(message);

    public static IResult Unauthenticated(string reason) => new JsonViewResult(new { error = reason, exit_code = 4 }, StatusCodes.Status401Unauthorized, challenge: true);

    public static IResult Forbidden(string reason) => Error(StatusCodes.Status403Forbidden, reason, 4);

    public static IResult Error(int status, string message, int exitCode) => new JsonViewResult(new { error = message, exit_code = exitCode }, status);

    private sealed class JsonViewResult(object value, int status, bool challenge = false) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            if (challenge)
            {
                response.Headers.WWWAuthenticate = "Bearer";
            }

            await JsonSerializer.SerializeAsync(response.Body, value, value.GetType(), ViewJson.Options, httpContext.RequestAborted).ConfigureAwait(false);
        }
    }
}
