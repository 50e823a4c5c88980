using System.Net;
using System.Net.Sockets;

namespace Glidepath.Cli.Tests.Support;

/// <summary>
/// An HTTP server on 127.0.0.1 at a port chosen at run time, answering each request with <see cref="HandleAsync"/>: one
/// at a time, or each on its own task when <paramref name="concurrent"/> (a test endpoint that holds requests).
/// </summary>
internal abstract class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly bool _concurrent;
    private Task? _loop;

    /// <param name="path">The path the server answers under, starting and ending with '/'.</param>
    protected LoopbackHttpServer(string path, bool concurrent = false)
    {
        _concurrent = concurrent;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Root = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Root + path);
    }

    /// <summary><c>http://127.0.0.1:PORT</c>, without a path.</summary>
    protected string Root { get; }

    /// <summary>Starts answering; called by the derived constructor once its own state is ready.</summary>
    protected void Start()
    {
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    protected abstract Task HandleAsync(HttpListenerContext context);

    public virtual void Dispose()
    {
        _listener.Close();
        _loop?.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            if (_concurrent)
            {
                _ = Task.Run(() => HandleAsync(context));
            }
            else
            {
                await HandleAsync(context);
            }
        }
    }
}
