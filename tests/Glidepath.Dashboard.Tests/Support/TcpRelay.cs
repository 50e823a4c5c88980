using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Glidepath.Dashboard.Tests.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 (port chosen at run time) between the browser and the gateway, standing for the network and
/// the proxies a live page's stream crosses: it forwards bytes as they come, or holds them (a hung server, or a proxy
/// that keeps the socket open and sends nothing), or drops every connection and answers new ones with nothing (the
/// server went away) or with a 503 (a server up whose store cannot be read). The browser opens pages at <see cref="Url"/>.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _open = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource _flowing = NewGate(open: true);
    private RelayMode _mode = RelayMode.Forward;
    private int _refusedStreams;

    public TcpRelay(string targetUrl)
    {
        var uri = new Uri(targetUrl);
        _target = new IPEndPoint(IPAddress.Parse(uri.Host), uri.Port);
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many live-stream requests (<c>/dashboard/events</c>) were answered 503 in <see cref="RelayMode.Answer503"/>.</summary>
    public int RefusedStreams => Volatile.Read(ref _refusedStreams);

    /// <summary>Switches to <paramref name="mode"/>: holding stops every byte in both directions (open connections and new ones) until the next switch; dropping or answering 503 closes every open connection first.</summary>
    public void Set(RelayMode mode)
    {
        List<TcpClient> dropped = [];
        lock (_lock)
        {
            _mode = mode;
            if (mode == RelayMode.Hold)
            {
                if (_flowing.Task.IsCompleted)
                {
                    _flowing = NewGate(open: false);
                }
            }
            else
            {
                _flowing.TrySetResult();
            }

            if (mode is RelayMode.Drop or RelayMode.Answer503)
            {
                dropped.AddRange(_open);
                _open.Clear();
            }
        }

        foreach (var client in dropped)
        {
            client.Dispose();
        }
    }

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.SetResult();
        }

        return gate;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        RelayMode mode;
        lock (_lock)
        {
            mode = _mode;
            if (mode is RelayMode.Forward or RelayMode.Hold)
            {
                _open.Add(client);
            }
        }

        try
        {
            switch (mode)
            {
                case RelayMode.Drop:
                    client.Dispose();
                    return;
                case RelayMode.Answer503:
                    await Answer503Async(client);
                    return;
            }

            // Dropping the browser's side ends the pumps, and this closes the gateway's side with them.
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(_target, _stop.Token);
            var up = PumpAsync(client.GetStream(), upstream.GetStream());
            var down = PumpAsync(upstream.GetStream(), client.GetStream());
            await Task.WhenAny(up, down);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // One side closed or was dropped: the connection ends, as it would through a real proxy.
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(client);
            }

            client.Dispose();
        }
    }

    private async Task PumpAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var n = await from.ReadAsync(buffer, _stop.Token);
            if (n == 0)
            {
                return;
            }

            Task gate;
            lock (_lock)
            {
                gate = _flowing.Task;
            }

            await gate.WaitAsync(_stop.Token);
            await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            await to.FlushAsync(_stop.Token);
        }
    }

    private async Task Answer503Async(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            await stream.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nunavailable"u8.ToArray(), _stop.Token);
            await stream.FlushAsync(_stop.Token);
            if (request.ToString().Contains(" /dashboard/events", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _refusedStreams);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Set(RelayMode.Drop);
        _stop.Dispose();
    }
}
