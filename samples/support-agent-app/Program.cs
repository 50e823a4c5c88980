using Glidepath.Extensions.AI;
using Microsoft.Extensions.AI;

// The sample support agent (../support-agent/glidepath.yaml, the simulated model) served in-process with the Glidepath SDK:
// each POST /ask is routed to the environment's stable or canary release, that release answers, and its trace goes to the
// store the CLI and `glidepath controller` read. Settings: --Glidepath:Manifest, --Glidepath:Environment, GLIDEPATH_STORE.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddGlidepath(o =>
{
    o.App = "support-agent";
    o.Environment = builder.Configuration["Glidepath:Environment"] ?? "production";
    o.Manifest = builder.Configuration["Glidepath:Manifest"] ?? Path.Combine("..", "support-agent", "glidepath.yaml");
});
builder.Services.AddGlidepathChatClient();

var app = builder.Build();

// Who the call is for: the same user always gets the same arm during a rollout.
app.Use(async (http, next) =>
{
    using (GlidepathSubject.Use(http.Request.Headers["X-User"].FirstOrDefault() ?? http.User.Identity?.Name))
    {
        await next(http);
    }
});

app.MapPost("/ask", async (Question question, IChatClient chat, CancellationToken cancellationToken) =>
{
    try
    {
        var response = await chat.GetResponseAsync(question.Text, cancellationToken: cancellationToken);
        var said = response.AdditionalProperties!;
        return Results.Ok(new Answer(response.Text, (string)said[GlidepathProperties.Release]!, (string)said[GlidepathProperties.Arm]!, (string)said[GlidepathProperties.TraceId]!));
    }
    catch (GlidepathChatException ex)
    {
        return Results.Problem(ex.Message, statusCode: ex.Status, title: ex.Kind, extensions: new Dictionary<string, object?> { ["trace_id"] = ex.TraceId, ["release"] = ex.Release, ["arm"] = ex.Arm });
    }
});

// The control plane, as a gateway's /readyz?scope=control-plane: 503 while the store cannot be read or a newer glidepath
// migrated it. For alerting, not for the load balancer: calls are served meanwhile, on the last routing table.
app.MapGet("/readyz/control-plane", (GlidepathRuntime glidepath) =>
{
    var state = glidepath.ControlPlane;
    var controlPlane = state.Stale ? "stale" : glidepath.NewerSchema is not null ? "outdated" : "ok";
    var body = new { control_plane = controlPlane, changes = glidepath.Changes.ToString(), stale_since = state.StaleSince, store_schema = glidepath.NewerSchema?.Store };
    return Results.Json(body, statusCode: controlPlane == "ok" ? 200 : 503);
});

app.Run();

/// <summary>A question to the support agent.</summary>
internal sealed record Question(string Text);

/// <summary>The agent's answer, with the release and arm that gave it and the trace id (for feedback).</summary>
internal sealed record Answer(string Text, string Release, string Arm, string TraceId);
