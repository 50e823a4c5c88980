using Glidepath.Errors;
using Glidepath.Gateway.Admin;
using Glidepath.Rollouts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// The actions: a POST from the confirmation page's form. Same origin and antiforgery token first, then the signed-in
/// principal must hold the role of the admin-API operation (403 otherwise, nothing done), then the same use-case
/// service the admin API calls runs with the principal as the actor. Success redirects to the page to look at next.
/// </summary>
internal static class DashboardActionEndpoints
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/env/{env}/actions/{action}", async (string env, string action, HttpContext http, AdminServices s) =>
        {
            if (await FormChecks.RefusalAsync(http, signedIn: true) is { } refused)
            {
                return refused;
            }

            if (DashboardAction.Find(action) is not { } act)
            {
                return Results.NotFound();
            }

            var (page, refusal) = await DashboardRequest.AuthorizeAsync(http, "confirm", act.Title, env, act.AdminPattern);
            if (refusal is not null)
            {
                return refusal;
            }

            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var reason = form["reason"].ToString().Trim() is { Length: > 0 } r ? r : null;
            var seen = long.TryParse(form["revision"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rev) ? rev : (long?)null;
            try
            {
                var (next, changed) = await RunAsync(s, act, env, page!.Principal.Actor, reason, seen, http.RequestAborted);
                return Results.Redirect($"{page.EnvLink(next, env)}?{(changed ? "done" : "unchanged")}={act.Name}");
            }
            catch (GlidepathException ex)
            {
                var status = ex.Kind switch
                {
                    FailureKind.BadInput => StatusCodes.Status400BadRequest,
                    FailureKind.Refused => StatusCodes.Status409Conflict,
                    _ => StatusCodes.Status503ServiceUnavailable,
                };
                // A refused reason (empty, too long, a newline) goes back to the form with it, so it can be corrected, not retyped.
                var typed = form["reason"].ToString();
                var retry = status == StatusCodes.Status400BadRequest && typed.Length > 0
                    ? $"{page!.EnvLink("confirm/" + act.Name, env)}?reason={Uri.EscapeDataString(typed.Length > MaxRetryReason ? typed[..MaxRetryReason] : typed)}"
                    : status == StatusCodes.Status400BadRequest ? page!.EnvLink("confirm/" + act.Name, env) : null;
                return DashboardRequest.Error(http, status, ex.Message, page, retry);
            }
        });

    /// <summary>The most of a refused reason carried back to the form in its link (a reason may have 500 characters).</summary>
    private const int MaxRetryReason = 1000;

    /// <summary>
    /// Runs the action as the admin API's endpoint does; returns the page to show next, and whether anything changed
    /// (freezing a frozen environment or unfreezing one that is not frozen records nothing, as the API's
    /// <c>"changed": false</c> says; nor does pausing a paused rollout or resuming one that is not paused).
    /// </summary>
    /// <param name="seen">The revision the confirmation page showed: a rollback is refused when the environment changed since.</param>
    private static async Task<(string Page, bool Changed)> RunAsync(AdminServices s, DashboardAction act, string env, string actor, string? reason, long? seen, CancellationToken ct)
    {
        var spec = s.Environments.Spec(env);
        switch (act.Name)
        {
            case "rollback":
                var expected = seen ?? throw new BadInputException("the confirmation form did not say which revision it showed; open the confirmation page again");
                return ("history", (await s.Rollouts.RollbackAsync(spec.Name, null, actor, reason, expected, ct)).Changed);
            case "freeze":
                var why = reason ?? throw new BadInputException("a reason is required to freeze: it is shown to everyone refused while frozen");
                return ("history", (await s.Environments.FreezeAsync(spec.Name, actor, why, ct)).Changed);
            case "unfreeze":
                return ("history", (await s.Environments.UnfreezeAsync(spec.Name, actor, reason, ct)).Changed);
            case "pause":
                return ("rollout", (await s.Rollouts.PauseAsync(spec.Name, actor, reason, ct)).Changed);
            case "resume":
                return ("rollout", (await s.Rollouts.ResumeAsync(spec.Name, actor, reason, ct)).Changed);
            case "abort":
                await s.Rollouts.AbortAsync(spec.Name, actor, reason, ct);
                return ("rollout", true);
            default:
                throw new InvalidOperationException($"dashboard action '{act.Name}' has no handler");
        }
    }
}
