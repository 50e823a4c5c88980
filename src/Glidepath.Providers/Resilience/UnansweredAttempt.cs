using Glidepath.Errors;

namespace Glidepath.Providers.Resilience;

/// <summary>
/// Which failed attempts say the endpoint is not answering, for <see cref="ProviderBackoff"/>'s count of such attempts in
/// a row: no connection at all (refused, reset before an answer, a name that does not resolve), no answer within the
/// timeout, or a server error with no <c>retry-after</c> (500, 502, 504; and a 503 without one, which says neither that
/// the provider is busy for a while nor when to come back). Not a 429 or a 529 (the provider paces its callers: the
/// storm back-off), nor an answer that refuses the request (4xx) or cannot be read: the endpoint answered those.
/// </summary>
internal static class UnansweredAttempt
{
    /// <summary>What happened to such an attempt, as "8 calls in a row …" goes on; null for any other outcome.</summary>
    public static string? Kind(Exception? failure) => failure switch
    {
        ProviderException { EndpointDown: true } => null,
        ProviderException { Failure: ProviderFailure.Connection, StatusCode: null } => "could not connect",
        ProviderException { Failure: ProviderFailure.Timeout } => "got no answer within the timeout",
        ProviderException { Failure: ProviderFailure.ServerError, StatusCode: >= 500 and var status, RetryAfter: null } => $"were answered {status}",
        ProviderException { Failure: ProviderFailure.RateLimited, StatusCode: 503, RetryAfter: null } => "were answered 503 without retry-after",
        _ => null,
    };

    /// <summary>Whether <paramref name="failure"/> is a timeout, which counts only once nothing has been answered for a while.</summary>
    public static bool IsTimeout(Exception? failure) => failure is ProviderException { Failure: ProviderFailure.Timeout };
}
