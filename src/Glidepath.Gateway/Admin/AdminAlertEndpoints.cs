using Glidepath.Access;
using Glidepath.Errors;
using Glidepath.Gateway.Admin.Requests;
using Glidepath.Monitoring;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Glidepath.Gateway.Admin;

/// <summary>Drift alerts: the CLI's <c>monitor</c> (without <c>--check</c>, which runs on the store) and <c>monitor --resend</c>.</summary>
internal static class AdminAlertEndpoints
{
    /// <summary>The longest alert id taken: the monitor's are <c>al-</c> and 16 hex digits.</summary>
    private const int MaxIdLength = 100;

    public static void Map(RouteGroupBuilder group)
    {
        group.Get("/environments/{env}/alerts", "list drift alerts", Role.Viewer, async (string env, HttpContext http, AdminServices s) =>
        {
            var spec = s.Environments.Spec(env);
            var alerts = await s.Store.Monitor.ListAlertsAsync(s.App, spec.Name, AdminReadEndpoints.Limit(http.Request.Query["limit"], 20), http.RequestAborted);
            return AdminResults.View(MonitorReports.Report(s.App, spec.Name, null, alerts, await s.ViewsAsync(http.RequestAborted), s.Options.Time.GetUtcNow()));
        }).WithTags("monitoring");

        // Posted with the server's webhook, not the caller's: the point is that a caller with a token and no store can page
        // an alert whose delivery gave up. An alert of another environment is "no such alert" here, as on the store, so a
        // role in one environment resends nothing of another's and learns nothing of its ids.
        group.Post<AlertResendRequest>("/environments/{env}/alerts/{id}/resend", "resend a drift alert", Role.Deployer, async (string env, string id, HttpContext http, AdminServices s) =>
        {
            _ = await AdminBody.ReadAsync<AlertResendRequest>(http);
            var spec = s.Environments.Spec(env);
            if (id.Length > MaxIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new BadInputException($"the alert id in the path is not one: ids are letters, digits, '-', '_' and '.', at most {MaxIdLength} (the monitor's look like al-5c1e0f7a2b9d4e61); 'GET /admin/v1/environments/{spec.Name}/alerts' lists them");
            }

            return AdminResults.View(await s.ResendDelivery(spec.Name, id).ResendReportAsync(s.App, spec.Name, id, http.RequestAborted));
        }).WithTags("monitoring");
    }
}
