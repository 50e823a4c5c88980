using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Glidepath.Storage.Contract.Tests.Postgres;

/// <summary>
/// A listener on 127.0.0.1 that answers every PostgreSQL startup message as PgBouncer 1.18 answers one that holds a
/// parameter it does not track: <c>FATAL 08P01 unsupported startup parameter: search_path</c>, then closes. Declines SSL
/// and GSS encryption requests first, as a pooler without TLS does. Keeps the parameters of the last startup message.
/// </summary>
internal sealed class StartupRefusingPooler : IAsyncDisposable
{
    private const int SslRequest = 80877103;
    private const int GssEncRequest = 80877104;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public StartupRefusingPooler()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The parameters of the last startup message received (name → value).</summary>
    public IReadOnlyDictionary<string, string> LastStartup { get; private set; } = new Dictionary<string, string>();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(cancellationToken);
            await using var stream = client.GetStream();
            try
            {
                await RefuseAsync(stream, cancellationToken);
            }
            catch (IOException)
            {
                // The client went away first: the next one is answered the same way.
            }
        }
    }

    private async Task RefuseAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            var header = new byte[8];
            await stream.ReadExactlyAsync(header, cancellationToken);
            var length = BinaryPrimitives.ReadInt32BigEndian(header);
            var code = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
            if (code is SslRequest or GssEncRequest)
            {
                await stream.WriteAsync("N"u8.ToArray(), cancellationToken);
                continue;
            }

            var body = new byte[length - 8];
            await stream.ReadExactlyAsync(body, cancellationToken);
            LastStartup = Parameters(body);
            await stream.WriteAsync(ErrorResponse("FATAL", "08P01", "unsupported startup parameter: search_path"), cancellationToken);
            return;
        }
    }

    private static Dictionary<string, string> Parameters(byte[] body)
    {
        var parts = Encoding.UTF8.GetString(body).Split('\0');
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < parts.Length && parts[i].Length > 0; i += 2)
        {
            parameters[parts[i]] = parts[i + 1];
        }

        return parameters;
    }

    private static byte[] ErrorResponse(string severity, string sqlState, string message)
    {
        var fields = new StringBuilder()
            .Append('S').Append(severity).Append('\0')
            .Append('V').Append(severity).Append('\0')
            .Append('C').Append(sqlState).Append('\0')
            .Append('M').Append(message).Append('\0')
            .Append('\0');
        var payload = Encoding.UTF8.GetBytes(fields.ToString());
        var packet = new byte[1 + 4 + payload.Length];
        packet[0] = (byte)'E';
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(1), 4 + payload.Length);
        payload.CopyTo(packet, 5);
        return packet;
    }
}
