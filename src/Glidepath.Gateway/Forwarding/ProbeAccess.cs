using System.Net;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// Who may send <c>Glidepath-Probe: route</c>: only a caller on the gateway's own machine. A probe tells the caller
/// its arm without a provider call or a trace, which would let anyone find (and then pin) a sticky key on the canary.
/// </summary>
internal static class ProbeAccess
{
    public static bool Allows(IPAddress? remote) =>
        remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);
}
