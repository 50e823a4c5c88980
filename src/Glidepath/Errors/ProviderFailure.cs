namespace Glidepath.Errors;

/// <summary>What kind of provider failure happened; decides retrying.</summary>
public enum ProviderFailure
{
    /// <summary>429, or an overloaded signal: 503, Anthropic's 529, all <c>max_concurrency</c> slots busy.</summary>
    RateLimited,

    /// <summary>5xx other than 503 and 529; also a provider's own error event mid-stream.</summary>
    ServerError,

    /// <summary>No answer within the per-call timeout (including a stalled stream).</summary>
    Timeout,

    /// <summary>Could not connect, or the connection broke.</summary>
    Connection,

    /// <summary>The provider answered, but not in its documented format.</summary>
    MalformedResponse,

    /// <summary>4xx other than 429: bad request, bad key, unknown model. Not retried.</summary>
    Rejected,

    /// <summary>Missing API key or an invalid provider setting.</summary>
    Configuration,
}
