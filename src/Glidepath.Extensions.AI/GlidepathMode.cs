namespace Glidepath.Extensions.AI;

/// <summary>Which model answers a call that <see cref="GlidepathChatClient"/> routed.</summary>
public enum GlidepathMode
{
    /// <summary>
    /// The routed release's own model, through Glidepath's providers pipeline (as the gateway calls it): the release's
    /// model, parameters, prompt and tools win, and the inner client is not called. The default.
    /// </summary>
    ReleaseProvider,

    /// <summary>
    /// The app's own inner client: only the release's system prompt, sampling parameters and tools are applied; the
    /// caller's model id, response format and additional properties stay.
    /// </summary>
    InnerClient,
}
