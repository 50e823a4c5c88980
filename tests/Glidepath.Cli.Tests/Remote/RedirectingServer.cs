using System.Net;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Remote;

/// <summary>
/// An HTTP server on 127.0.0.1 that answers every admin API request with a 307 to its own <c>/steal</c> (with a user part
/// and a query in the <c>Location</c>), and counts what reaches <c>/steal</c>.
/// </summary>
internal sealed class RedirectingServer : LoopbackHttpServer
{
    private int _stolen;

    public RedirectingServer()
        : base("/")
    {
        Url = Root;
        Start();
    }

    public string Url { get; }

    /// <summary>Requests that followed the redirect.</summary>
    public int Stolen => Volatile.Read(ref _stolen);

    protected override Task HandleAsync(HttpListenerContext context)
    {
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
        return Task.CompletedTask;
    }
}
