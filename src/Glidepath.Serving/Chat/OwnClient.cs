using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Chat;

/// <summary>
/// How a release applies to a call answered by the caller's own client (the SDK's inner-client mode): the release's
/// prompt, sampling parameters and tools, but the caller's model, response format and additional properties. The
/// stable call and its shadow candidate follow the same rule, so a pair compares two releases on the same client.
/// </summary>
internal static class OwnClient
{
    /// <summary>Set (true) in the options of a shadow candidate's call to the app's own client, for its middleware to tell.</summary>
    public const string ShadowMarker = "glidepath.shadow";

    /// <summary>
    /// A shadow candidate's call on the app's own client: every tool a declaration only, so a function-invoking layer
    /// below Glidepath hands a tool call back instead of running it (a shadow never executes tools), and the call
    /// marked <see cref="ShadowMarker"/>.
    /// </summary>
    public static void ForShadow(ChatOptions applied)
    {
        if (applied.Tools is { Count: > 0 } tools)
        {
            applied.Tools = [.. tools.Select(t => t is AIFunction function ? function.AsDeclarationOnly() : t)];
        }

        (applied.AdditionalProperties ??= [])[ShadowMarker] = true;
    }

    /// <summary>Keeps the caller's model, response format and additional properties in <paramref name="applied"/>.</summary>
    public static void Keep(ChatOptions applied, ChatOptions caller)
    {
        applied.ModelId = caller.ModelId;
        applied.ResponseFormat ??= caller.ResponseFormat;
        applied.AdditionalProperties = caller.AdditionalProperties?.Clone();
        if (applied.Tools is { IsReadOnly: true } shared)
        {
            applied.Tools = [.. shared]; // the app's own client (and its middleware) may add to the list
        }
    }
}
