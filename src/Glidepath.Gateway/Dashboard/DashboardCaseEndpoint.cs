using System.Text;
using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Gateway.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// "Add to eval set" from the browser: the case <c>glidepath evalset add --from-trace ID</c> would append, as one JSON
/// line to download (<see cref="TraceCase.Build"/>: the messages redacted again with <c>capture.redact</c>, the trace's
/// provenance under <c>metadata</c>). The dataset is a file in the app's repository, so the server writes nothing:
/// the user appends the line (or runs the command) and commits it with the change.
/// </summary>
internal static class DashboardCaseEndpoint
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/env/{env}/traces/{id}/case.jsonl", async (string env, string id, HttpContext http, DashboardReads reads, AdminServices s) =>
        {
            var (page, refusal) = await DashboardRequest.AuthorizeAsync(http, "traces", "Trace", env, AdminEndpointRouteBuilderExtensions.Prefix + "/environments/{env}/traces/{id}");
            if (refusal is not null)
            {
                return refusal;
            }

            try
            {
                var model = await reads.TraceAsync(env, id, http.RequestAborted);
                var manifest = s.Options.Manifest;
                var release = await s.Store.Releases.GetByIdAsync(manifest.App, model.Trace.ReleaseId, http.RequestAborted);
                var vars = TraceCase.VarsUsedBy(release, manifest.FindEnvironment(model.Trace.Environment)?.Vars ?? new Dictionary<string, string>());
                var line = TraceCase.Build(model.Trace, model.Names.Label(model.Trace.ReleaseId), vars, manifest.Capture.Redact, [], s.Options.Time.GetUtcNow());
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"case-{model.Trace.TraceId}.jsonl\"";
                return Results.Text(TraceCase.Line(line) + "\n", "application/x-ndjson", Encoding.UTF8);
            }
            catch (GlidepathException ex)
            {
                return DashboardRequest.Error(http, ex.Kind == FailureKind.BadInput ? StatusCodes.Status400BadRequest : StatusCodes.Status503ServiceUnavailable, ex.Message, page);
            }
        });
}
