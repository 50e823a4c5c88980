using Glidepath.Serving;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Endpoints;

/// <summary>
/// <c>GET /v1/models</c> in the OpenAI list format: the model names this gateway answers to, the app name and
/// <c>app@environment</c>. Many OpenAI clients probe it before their first call.
/// </summary>
internal static class ModelsEndpoint
{
    public static IResult List(ServingOptions settings)
    {
        var app = settings.Manifest.App;
        object Model(string id) => new Dictionary<string, object> { ["id"] = id, ["object"] = "model", ["created"] = 0, ["owned_by"] = "glidepath" };
        return Results.Json(new Dictionary<string, object>
        {
            ["object"] = "list",
            ["data"] = new[] { Model(app), Model($"{app}@{settings.Environment}") },
        });
    }
}
