using System.Net;
using System.Text;
using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// An OpenAI-compatible chat endpoint on 127.0.0.1 for a judge model: every call is answered with <see cref="Answer"/>
/// (settable between runs, as a judge that is fixed or changes its mind), and counted. With <see cref="Hang"/> it
/// answers nothing until <see cref="Hang"/> is turned off or it is disposed, as a judge that never responds.
/// </summary>
internal sealed class JudgeEndpoint : LoopbackHttpServer
{
    private string _answer = "{\"score\": 0.9, \"reason\": \"fine\"}";
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _released = NewReleased(released: true);
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

    /// <summary>The answer text for the n-th call (1-based) when set, in place of <see cref="Answer"/>: a judge whose verdict differs by call.</summary>
    public Func<int, string>? AnswerFor { get; set; }

    /// <summary>When set and true for the n-th call (1-based), that call is answered with a 500 and no completion: a call that got no answer.</summary>
    public Func<int, bool>? FailFor { get; set; }

    /// <summary>Calls received so far (answered, or held while <see cref="Hang"/>).</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes when the first call arrives.</summary>
    public Task FirstCall => _reached.Task;

    /// <summary>Whether calls from now on are held without an answer; turned off, the held ones are answered.</summary>
    public bool Hang
    {
        get => !Volatile.Read(ref _released).Task.IsCompleted;
        set
        {
            if (value)
            {
                Volatile.Write(ref _released, NewReleased(released: false));
            }
            else
            {
                Volatile.Read(ref _released).TrySetResult();
            }
        }
    }

    public override void Dispose()
    {
        Volatile.Read(ref _released).TrySetResult();
        base.Dispose();
    }

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        var call = Interlocked.Increment(ref _calls);
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            await reader.ReadToEndAsync();
        }

        _reached.TrySetResult();
        await Volatile.Read(ref _released).Task;
        if (FailFor?.Invoke(call) == true)
        {
            context.Response.StatusCode = 500;
            context.Response.Close();
            return;
        }

        var body = $$$"""
            {"id":"chatcmpl-1","object":"chat.completion","created":0,"model":"judge-1","choices":[{"index":0,"message":{"role":"assistant","content":{{{JsonSerializer.Serialize(AnswerFor?.Invoke(call) ?? Answer)}}}},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}
            """;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        try
        {
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The caller gave up on a held call (the run was stopped): nobody to answer.
        }
    }

    private static TaskCompletionSource NewReleased(bool released)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (released)
        {
            source.TrySetResult();
        }

        return source;
    }
}
