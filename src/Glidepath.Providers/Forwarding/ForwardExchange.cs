using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// One pass-through call as the handlers and the response tap see it: what was asked (stream, keep the text) and
/// what the tap read from the answer (usage, finish reason, first token, text), plus the waits on the provider.
/// Carried on the call's <see cref="HttpRequestMessage.Options"/>; not thread-safe (one request drives it).
/// </summary>
public sealed class ForwardExchange
{
    internal static readonly HttpRequestOptionsKey<ForwardExchange> Key = new("glidepath.forward");

    private Action? _onComplete;

    /// <param name="stream">Whether the answer is server-sent events.</param>
    /// <param name="keepText">Whether the tap keeps the answer's text (only content capture, online scoring and shadow pairing want it).</param>
    /// <param name="callerWantsUsage">OpenAI: whether the caller asked for the usage chunk (<c>stream_options.include_usage</c>); it is always asked of the provider, and dropped on the way back when the caller did not ask.</param>
    public ForwardExchange(bool stream, bool keepText, bool callerWantsUsage)
    {
        Stream = stream;
        CallerWantsUsage = callerWantsUsage;
        Text = keepText ? new StringBuilder() : null;
    }

    public bool Stream { get; }

    public bool CallerWantsUsage { get; }

    /// <summary>The caller's <c>anthropic-beta</c> value (beta names, already checked), sent with the body to an Anthropic provider.</summary>
    public string? AnthropicBeta { get; init; }

    /// <summary>The answer's text read so far, kept only when asked for (the host takes it and clears it as it goes).</summary>
    public StringBuilder? Text { get; }

    public UsageDetails? Usage { get; internal set; }

    /// <summary>
    /// Whether <see cref="Usage"/> came where the provider reports an answer's whole usage (a whole answer's, OpenAI's
    /// usage chunk, Anthropic's <c>message_delta</c>), not only as the input <c>message_start</c> reports before the answer.
    /// </summary>
    public bool UsageComplete { get; internal set; }

    public ChatFinishReason? FinishReason { get; internal set; }

    /// <summary>USD for the call at the manifest's prices, once the answer is complete and its usage known.</summary>
    public decimal? CostUsd { get; internal set; }

    /// <summary><see cref="Stopwatch"/> timestamp of the first text or tool call of a streamed answer.</summary>
    public long? FirstToken { get; internal set; }

    /// <summary><see cref="Stopwatch"/> ticks spent waiting for the provider (headers, body, each streamed read).</summary>
    public long UpstreamTicks { get; internal set; }

    /// <summary>Text and tool-call events read so far: what a caller who went away mid-stream is charged for (about a token each).</summary>
    public int Deltas { get; private set; }

    /// <summary>
    /// Characters (UTF-16, as the translating path counts a text's length) of answer text read so far, unescaped: with
    /// <see cref="Deltas"/>, what a stream that ends early is estimated at, by the same rule on both paths.
    /// </summary>
    public long TextChars { get; private set; }

    /// <summary>
    /// Attempts sent to the provider so far: 1 for the first, more once the retry policy sent the request again (0 before
    /// the send). What the trace records, and retry_rate judges, whatever the final outcome.
    /// </summary>
    public int Attempts { get; internal set; }

    /// <summary>The HTTP status the provider answered with (once its headers came): what a failure after them is traced with.</summary>
    public int? UpstreamStatus { get; internal set; }

    /// <summary>Whether an event of the stream was read: a failure after that came once the provider had begun answering (and charging).</summary>
    public bool StreamBegan { get; internal set; }

    /// <summary>Whether the provider ended the stream with an error event of its own (forwarded as it came).</summary>
    public string? StreamError { get; internal set; }

    /// <summary>Whether the streamed answer read so far ended well: the provider said why it stopped and sent no error event.</summary>
    internal bool Succeeded => FinishReason is not null && StreamError is null;

    /// <summary>The provider's error event said it is overloaded (Anthropic's <c>overloaded_error</c>): traced as its 529 would be.</summary>
    public bool StreamErrorOverloaded { get; internal set; }

    /// <summary>
    /// A stream's body, its first chunk read (under the attempt's timeout, so a stream is retried until it) and not
    /// consumed: what the copy reads from. Null before that, for a whole answer, and once the copy took it.
    /// </summary>
    internal PipeReader? Events { get; set; }

    /// <summary>Set when the answer failed after its headers (the span's <c>error.type</c>).</summary>
    internal string? Failure { get; set; }

    internal Activity? Span { get; set; }

    internal long SpanStart { get; set; }

    internal void OnComplete(Action action) => _onComplete += action;

    internal void RunCompletions()
    {
        var actions = _onComplete;
        _onComplete = null;
        actions?.Invoke();
    }

    /// <summary>A piece of answer text of <paramref name="chars"/> characters.</summary>
    internal void SawText(int chars)
    {
        TextChars += chars;
        SawToken();
    }

    /// <summary>A streamed answer's first text or tool call (a whole answer has no time to first token, as on the translating path).</summary>
    internal void SawToken()
    {
        Deltas++;
        if (Stream)
        {
            FirstToken ??= Stopwatch.GetTimestamp();
        }
    }
}
