namespace Glidepath.Extensions.AI;

/// <summary>
/// A call <see cref="GlidepathChatClient"/> could not answer, with what the gateway would have answered: the status
/// (429 rate limited, 503 overloaded or no release to serve, 504 timeout, 400 rejected or a prompt variable unset, 502
/// otherwise), the error kind and the trace id. The provider's own exception, when there was one, is the inner exception.
/// </summary>
public sealed class GlidepathChatException : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    public GlidepathChatException(string message, int status, string kind, string? traceId, string? release, string? arm, Exception? innerException)
        : base(message, innerException)
    {
        Status = status;
        Kind = kind;
        TraceId = traceId;
        Release = release;
        Arm = arm;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public GlidepathChatException(string message)
        : this(message, 500, "api_error", null, null, null, null)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public GlidepathChatException(string message, Exception innerException)
        : this(message, 500, "api_error", null, null, null, innerException)
    {
    }

    /// <summary>Creates the exception with no detail.</summary>
    public GlidepathChatException()
        : this("the Glidepath call failed")
    {
    }

    /// <summary>The HTTP status the gateway would have answered with.</summary>
    public int Status { get; }

    /// <summary>The error kind in the OpenAI shape, e.g. <c>rate_limit_error</c>, <c>overloaded_error</c>, <c>invalid_request_error</c>.</summary>
    public string Kind { get; }

    /// <summary>The call's trace id, when it was routed (its trace records the failure).</summary>
    public string? TraceId { get; }

    /// <summary>The label of the release the call was routed to, when it was.</summary>
    public string? Release { get; }

    /// <summary>The arm the call was routed to, when it was.</summary>
    public string? Arm { get; }
}
