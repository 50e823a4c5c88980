using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Chat;

/// <summary>
/// How a release applies to a call answered by the caller's own client (the SDK's inner-client mode): the release's
/// prompt, sampling parameters and tools, but the caller's model, response format and additional properties. The
/// stable call and its shadow candidate follow the same rule, so a pair compares two releases on the same client.
/// </summary>
internal static class OwnClient
{
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
