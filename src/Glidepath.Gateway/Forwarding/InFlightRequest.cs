using Glidepath.Serving.Keys;

namespace Glidepath.Gateway.Forwarding;

/// <summary>Gives back a budgeted key's place among its requests in flight when the request ends.</summary>
internal sealed class InFlightRequest(CallerKeys keys, string keyId) : IDisposable
{
    private int _done;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            keys.Done(keyId);
        }
    }
}
