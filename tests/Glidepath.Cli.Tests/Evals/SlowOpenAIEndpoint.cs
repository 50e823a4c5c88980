using System.Net;
using System.Text;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Evals;

/// <summary>
/// An OpenAI-compatible chat endpoint on 127.0.0.1 that holds every request until <c>hold</c> are in flight at once
/// (or 30 seconds pass, after which it stops holding: a capped run fails the test instead of hanging), and records the most it saw in flight,
/// the number of requests and their bodies.
/// </summary>
internal sealed class SlowOpenAIEndpoint : LoopbackHttpServer
{
    private const string Body = """
        {"id":"chatcmpl-1","object":"chat.completion","created":0,"model":"sim-support-1","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":1,"total_tokens":11}}
        """;

    private readonly int _hold;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _bodies = new();
    private volatile TaskCompletionSource _door = Opened();
    private volatile TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _maxInFlight;

    public SlowOpenAIEndpoint(int hold)
        : base("/v1/", concurrent: true)
    {
        _hold = hold;
        BaseUrl = Root + "/v1";
        Start();
        _ = Task.Delay(TimeSpan.FromSeconds(30)).ContinueWith(_ => _released.TrySetResult(), TaskScheduler.Default);
    }

    public string BaseUrl { get; }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>The request bodies received so far, in order of arrival: one per model call.</summary>
    public IReadOnlyList<string> Bodies => [.. _bodies];

    /// <summary>
    /// Holds every request from now on, with no time limit, until <see cref="ReleaseHeld"/>; the task completes when the
    /// first held request has arrived (its body recorded in <see cref="Bodies"/>).
    /// </summary>
    public Task HoldFromNow()
    {
        _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _door = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _arrived.Task;
    }

    /// <summary>Answers the requests <see cref="HoldFromNow"/> held (those whose caller gave up fail to be written) and holds no more.</summary>
    public void ReleaseHeld() => _door.TrySetResult();

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource();
        open.SetResult();
        return open;
    }

    protected override async Task HandleAsync(HttpListenerContext context)
    {
        // Recorded on arrival: a call its caller gives up while it is held still counts as one model call, once.
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            _bodies.Enqueue(await reader.ReadToEndAsync());
        }

        var door = _door;
        if (!door.Task.IsCompleted)
        {
            _arrived.TrySetResult();
            await door.Task;
        }

        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }

        if (now >= _hold)
        {
            _released.TrySetResult();
        }

        await _released.Task;

        var bytes = Encoding.UTF8.GetBytes(Body);
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        Interlocked.Decrement(ref _inFlight);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public override void Dispose()
    {
        _released.TrySetResult();
        _door.TrySetResult();
        base.Dispose();
    }
}
