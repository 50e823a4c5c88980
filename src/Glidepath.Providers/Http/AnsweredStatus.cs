using Glidepath.Errors;
using Glidepath.Providers.Resilience;

namespace Glidepath.Providers.Http;

/// <summary>
/// The HTTP status a provider answered one attempt of the translating path with. The SDK between the resilience layer
/// and <see cref="ProviderHttpHandler"/> hands up only its own exceptions, so a failure after the provider answered (a
/// body that is not JSON, a stream cut, stalled or ended early) would not say that it answered, nor with what status,
/// as the pass-through path's failures do. The resilience layer opens one per attempt (<see cref="Begin"/>), the handler
/// records the status of the answer it lets through (<see cref="Record"/>), and the attempt's failure leaves with it
/// (<see cref="Stamp"/>).
/// </summary>
internal sealed class AnsweredStatus
{
    private static readonly AsyncLocal<AnsweredStatus?> Current = new();

    private int _status;

    /// <summary>The record of a call that makes no HTTP request (the sim): never written, so its failures keep their own status.</summary>
    public static AnsweredStatus None { get; } = new();

    /// <summary>Opens the record of an attempt for the calls below it in this async flow (a failure before any answer stays without a status).</summary>
    public static AnsweredStatus Begin()
    {
        var answered = new AnsweredStatus();
        Current.Value = answered;
        return answered;
    }

    /// <summary>Records the status of the answer the handler lets through, when an attempt above it is being recorded.</summary>
    public static void Record(int status)
    {
        if (Current.Value is { } answered)
        {
            answered._status = status;
        }
    }

    /// <summary>The status the provider answered with; null while it has not answered.</summary>
    public int? Status => _status > 0 ? _status : null;

    /// <summary><paramref name="failure"/> with the status the provider answered with, when it carries none of its own.</summary>
    public ProviderException Stamp(ProviderException failure) => ProviderErrors.Answered(failure, Status);
}
