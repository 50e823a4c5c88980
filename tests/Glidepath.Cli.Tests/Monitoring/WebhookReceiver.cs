using System.Net;
using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Monitoring;

/// <summary>A webhook endpoint on 127.0.0.1 (port chosen at run time) that keeps every JSON body posted to it and answers <see cref="Status"/>.</summary>
internal sealed class WebhookReceiver : LoopbackHttpServer
{
    public WebhookReceiver()
        : base("/hook/")
    {
        Url = Root + "/hook/";
        Start();
    }

    public string Url { get; }

    public List<JsonElement> Received { get; } = [];

    /// <summary>Per post, its Content-Length header (null when it had none: a chunked body) and the bytes of body read.</summary>
    public List<(string? ContentLength, string? TransferEncoding, int BodyBytes)> Framing { get; } = [];

    /// <summary>The status every post is answered with (204 unless a test makes the receiver fail).</summary>
    public int Status { get; set; } = 204;

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        using (var doc = JsonDocument.Parse(body.ToArray()))
        {
            lock (Received)
            {
                Received.Add(doc.RootElement.Clone());
                Framing.Add((context.Request.Headers["Content-Length"], context.Request.Headers["Transfer-Encoding"], (int)body.Length));
            }
        }

        context.Response.StatusCode = Status;
        context.Response.Close();
    }
}
