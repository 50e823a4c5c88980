using System.Net.Sockets;

namespace Glidepath.Errors;

/// <summary>
/// Whether a failure is one that asking again later is expected to fix: the provider could not be reached, timed out, was
/// rate limited (the shared back-off's wait included) or answered with a server error. A provider's refusal of the request
/// (a 4xx other than 429), an answer that cannot be read and a setting that is wrong recur until something changes.
/// </summary>
public static class TransientFailure
{
    /// <summary>
    /// The metadata key a scorer's error outcome carries, set to <c>true</c>, when its failure was transient (a judge whose
    /// provider was down): the trial's error is then transient too, unless another scorer's is not.
    /// </summary>
    public const string MetadataKey = "error.transient";

    /// <summary>
    /// True when <paramref name="failure"/> or what caused it is transient: the first <see cref="ProviderException"/> found
    /// decides (<see cref="ProviderException.IsTransient"/>); without one, a network failure or a timeout of a client of
    /// one's own is transient too. Anything else is not.
    /// </summary>
    public static bool Of(Exception? failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is ProviderException provider)
            {
                return provider.IsTransient;
            }
        }

        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or SocketException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
