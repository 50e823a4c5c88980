using System.Net;
using System.Text;
using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// An OpenAI-compatible chat endpoint on 127.0.0.1 for a judge model: every call is answered with <see cref="Answer"/>
/// (settable between runs, as a judge that is fixed or changes its mind), and counted.
/// </summary>
internal sealed class JudgeEndpoint : LoopbackHttpServer
{
    private string _answer = "{\"score\": 0.9, \"reason\": \"fine\"}";
    private int _calls;

    public JudgeEndpoint()
        : base("/v1/", concurrent: true)
    {
        BaseUrl = Root + "/v1";
        Start();
    }

    public string BaseUrl { get; }

    /// <summary>The judge's answer text for the calls from now on.</summary>
    public string Answer
    {
        get => Volatile.Read(ref _answer);
        set => Volatile.Write(ref _answer, value);
    }

    /// <summary>Calls answered so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref _calls);
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            await reader.ReadToEndAsync();
        }

        var body = $$$"""
            {"id":"chatcmpl-1","object":"chat.completion","created":0,"model":"judge-1","choices":[{"index":0,"message":{"role":"assistant","content":{{{JsonSerializer.Serialize(Answer)}}}},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}
            """;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
