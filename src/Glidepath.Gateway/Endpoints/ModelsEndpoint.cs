using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Wire;
using Glidepath.Serving;
using Glidepath.Serving.Chat;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Endpoints;

/// <summary>
/// <c>GET /v1/models</c> in the OpenAI list format: the model names this gateway answers to, the app name and
/// <c>app@environment</c>. Many OpenAI clients probe it before their first call; some retrieve one model
/// (<c>GET /v1/models/{id}</c>), which answers the same object, or a 404 naming what this gateway serves.
/// </summary>
internal static class ModelsEndpoint
{
    public static IResult List(ServingOptions settings) => Results.Json(new Dictionary<string, object>
    {
        ["object"] = "list",
        ["data"] = Names(settings).Select(Model).ToArray(),
    });

    public static Task RetrieveAsync(HttpContext http, ServingOptions settings, string id)
    {
        if (Names(settings).Contains(id, StringComparer.Ordinal))
        {
            return Results.Json(Model(id)).ExecuteAsync(http);
        }

        var names = Names(settings);
        return HttpAnswers.ErrorAsync(http, OpenAiWire.Instance, StatusCodes.Status404NotFound, ErrorKinds.NotFound,
            $"no model '{id}': this gateway answers to \"{names[0]}\" and \"{names[1]}\"");
    }

    private static string[] Names(ServingOptions settings) => [settings.Manifest.App, $"{settings.Manifest.App}@{settings.Environment}"];

    private static Dictionary<string, object> Model(string id) =>
        new() { ["id"] = id, ["object"] = "model", ["created"] = 0, ["owned_by"] = "glidepath" };
}
