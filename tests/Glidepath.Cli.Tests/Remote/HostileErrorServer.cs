using System.Net;
using System.Text;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Remote;

/// <summary>An HTTP server on 127.0.0.1 that answers every admin API request with a 409 whose error text holds a line break and a line of its choosing.</summary>
internal sealed class HostileErrorServer : LoopbackHttpServer
{
    public HostileErrorServer()
        : base("/")
    {
        Url = Root;
        Start();
    }

    public string Url { get; }

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        var body = Encoding.UTF8.GetBytes("""{"error":"refused\nfake: production frozen by root","exit_code":4}""");
        context.Response.StatusCode = 409;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }
}
