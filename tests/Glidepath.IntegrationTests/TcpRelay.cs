using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Glidepath.IntegrationTests;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a server (the test PostgreSQL), to take the network away from one client without
/// stopping the server others use. <see cref="Cut"/> closes every relayed connection and refuses new ones until
/// <see cref="Restore"/>.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly ConcurrentDictionary<Guid, (TcpClient Client, TcpClient Server)> _pairs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _open = true;

    public TcpRelay(string host, int port)
    {
        _host = host;
        _port = port;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Closes every relayed connection; new ones are closed as soon as they are accepted.</summary>
    public void Cut()
    {
        _open = false;
        foreach (var (id, pair) in _pairs)
        {
            pair.Client.Dispose();
            pair.Server.Dispose();
            _pairs.TryRemove(id, out _);
        }
    }

    public void Restore() => _open = true;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (!_open)
            {
                client.Dispose();
                continue;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_host, _port, _stop.Token);
            }
            catch (Exception)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            var id = Guid.NewGuid();
            _pairs[id] = (client, server);
            _ = PumpAsync(id, client, server);
        }
    }

    private async Task PumpAsync(Guid id, TcpClient client, TcpClient server)
    {
        try
        {
            await Task.WhenAny(client.GetStream().CopyToAsync(server.GetStream(), _stop.Token), server.GetStream().CopyToAsync(client.GetStream(), _stop.Token));
        }
        catch (Exception)
        {
            // A cut or a closed end: both sides are closed below.
        }
        finally
        {
            _pairs.TryRemove(id, out _);
            client.Dispose();
            server.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
