using System.Net;
using System.Net.Sockets;

namespace Glidepath.Cli.Tests.Remote;

/// <summary>
/// An HTTP server on 127.0.0.1 that answers every admin API request with a 307 to its own <c>/steal</c> (with a user part
/// and a query in the <c>Location</c>), and counts what reaches <c>/steal</c>.
/// </summary>
internal sealed class RedirectingServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _stolen;

    public RedirectingServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>Requests that followed the redirect.</summary>
    public int Stolen => Volatile.Read(ref _stolen);

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

            if (context.Request.Url!.AbsolutePath.StartsWith("/steal", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _stolen);
                context.Response.StatusCode = 200;
            }
            else
            {
                context.Response.StatusCode = 307;
                context.Response.Headers["Location"] = Url.Replace("http://", "http://thief:REDIRPASS@", StringComparison.Ordinal) + "/steal?sig=QSECRET";
            }

            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
