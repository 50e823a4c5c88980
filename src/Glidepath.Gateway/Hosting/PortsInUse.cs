using System.Net;
using System.Net.Sockets;
using Glidepath.Errors;

namespace Glidepath.Gateway.Hosting;

/// <summary>
/// Looks for a listen port another process already holds, before the host starts. Kestrel's own failure comes as the
/// host's "Hosting failed to start" error with a 25-line stack trace in the log, before the command's one-line error;
/// found here, it is that one line alone. A port taken in the instant between this check and Kestrel's bind still gets
/// the host's log, followed by the same message.
/// </summary>
internal static class PortsInUse
{
    /// <summary>Throws an <see cref="OperationalException"/> (exit 3) naming the first listen URL whose port is taken.</summary>
    public static void Check(IEnumerable<string> urls, string advice)
    {
        ArgumentNullException.ThrowIfNull(urls);
        foreach (var url in urls)
        {
            if (EndPoint(url) is not { } endpoint)
            {
                continue;
            }

            try
            {
                using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (endpoint.Address.Equals(IPAddress.IPv6Any))
                {
                    socket.DualMode = true;
                }

                socket.Bind(endpoint);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new OperationalException($"cannot listen on {url}: the port is already in use; {advice}", ex);
            }
            catch (SocketException)
            {
                // Not ours to judge (an address this machine does not have, no permission): Kestrel says what it is.
            }
        }
    }

    // The address and port Kestrel would bind for a URL, as ListenEndpoints reads it (https the same); null for port 0
    // (a free port is picked), a Unix socket or a host name other than localhost (Kestrel decides what they bind).
    private static IPEndPoint? EndPoint(string url)
    {
        try
        {
            var (address, port) = ListenEndpoints.Parse(url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? "http://" + url["https://".Length..] : url);
            return port == 0 ? null : new IPEndPoint(address, port);
        }
        catch (BadInputException)
        {
            return null;
        }
    }
}
