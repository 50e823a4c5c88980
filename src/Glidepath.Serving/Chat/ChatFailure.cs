namespace Glidepath.Serving.Chat;

/// <summary>Why a call got no answer: what the caller is told (status, error class, message) and what its trace records.</summary>
/// <param name="Status">The HTTP-style status: 400 caller's fault, 429/5xx provider or configuration, 499 the caller went away.</param>
/// <param name="Kind">The error class, one of <see cref="ErrorKinds"/>.</param>
/// <param name="TraceError">The trace's error, e.g. <c>rate_limited</c>, <c>timeout</c>, <c>configuration</c>.</param>
public sealed record ChatFailure(int Status, string Kind, string Message, string TraceError)
{
    /// <summary>The caller went away before the answer was complete; nothing more is written to it.</summary>
    public static readonly ChatFailure ClientClosed = new(499, ErrorKinds.Api, "the caller closed the request", "client_closed");

    public bool IsClientClosed => Status == 499;

    /// <summary>When the provider said to come back (its <c>Retry-After</c> on a 429 or 503), passed on to the caller; else null.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The request field a provider's 4xx error named (OpenAI's <c>error.param</c>), passed on to an OpenAI-format caller; else null.</summary>
    public string? Param { get; init; }

    /// <summary>A provider's 4xx error code (OpenAI's <c>error.code</c>), passed on to an OpenAI-format caller instead of the gateway's own; else null.</summary>
    public string? Code { get; init; }
}
