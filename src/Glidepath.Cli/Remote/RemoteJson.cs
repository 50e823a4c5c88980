using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Views;

namespace Glidepath.Cli.Remote;

/// <summary>Reads an admin API answer back into the views the text output prints.</summary>
internal static class RemoteJson
{
    public static T Read<T>(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, ViewJson.Options) ?? throw new OperationalException("the admin API answered null");
        }
        catch (JsonException ex)
        {
            throw new OperationalException($"the admin API's answer is not the {typeof(T).Name} this CLI reads (a different Glidepath version?): {ex.Message}", ex);
        }
    }

    /// <summary>An environment name as a path segment.</summary>
    public static string Env(string environment) => Uri.EscapeDataString(environment);
}
