using System.Text;
using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Providers.Http;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// Reads what the trace needs from a provider's answer while it is copied to the caller: usage, finish reason, the
/// first token and (only when kept) the text. One pass of <see cref="Utf8JsonReader"/> per body or event; nothing
/// is built. A body that is not JSON throws <see cref="JsonException"/> (a malformed answer).
/// </summary>
internal abstract class ResponseTap
{
    /// <summary>Property names the tap looks for, as small codes by depth (0: any other name).</summary>
    protected readonly int[] Path = new int[16];

    /// <summary>Reads a whole (non-streamed) answer.</summary>
    public abstract void Body(ReadOnlySpan<byte> json, ForwardExchange exchange);

    /// <summary>Reads one streamed event's data: whether it is copied, dropped, or the stream's last event.</summary>
    public abstract TappedEvent Event(ReadOnlySpan<byte> data, ForwardExchange exchange);

    /// <summary>
    /// The stream's last event as the gateway writes it (<see cref="TappedEvent.Last"/>), for a complete answer whose
    /// provider did not send its own: it closed the stream without it, or holds the connection open (<see cref="Answered"/>).
    /// </summary>
    public abstract ReadOnlySpan<byte> LastEvent { get; }

    /// <summary>
    /// Whether the streamed answer read so far is complete though its last event has not come, so nothing is left to wait
    /// for: OpenAI once its finish reason and its usage chunk have come (the usage is always asked for, and only
    /// <c>[DONE]</c> follows it). Anthropic's <c>message_stop</c> is its last event and carries nothing: false.
    /// </summary>
    public virtual bool Answered(ForwardExchange exchange) => false;

    /// <summary>The tap for a provider's wire: <c>anthropic</c>, else OpenAI chat completions.</summary>
    public static ResponseTap For(string provider) => provider == Glidepath.Models.ProviderNames.Anthropic ? new AnthropicResponseTap() : new OpenAiResponseTap();

    /// <summary>
    /// After <see cref="Body"/>: null when the whole answer is one, else the failure it is (the same rule on both paths:
    /// the translating path checks the same bytes before the SDK reads them). An error body (OpenAI-compatible
    /// <c>{"error": …}</c>, Anthropic <c>{"type": "error"}</c>) carries the provider's message, key scrubbed; an answer
    /// without its parts (<see cref="Lacks"/>) is not in the provider's documented format, and carries the usage it
    /// reported (<see cref="ProviderException.Usage"/>). Neither is retried. Both carry <paramref name="status"/>, the
    /// HTTP status the body came with.
    /// </summary>
    public ProviderException? NotAnAnswer(string provider, int status, ReadOnlySpan<byte> json, ForwardExchange exchange, string? apiKey)
    {
        if (ErrorBody)
        {
            var said = ProviderHttpHandler.ErrorMessage(Encoding.UTF8.GetString(json), null);
            return new ProviderException(provider, status, ApiKey.Scrub($"{said} (an error sent as a {status} answer)", apiKey), ProviderFailure.MalformedResponse);
        }

        return Lacks(exchange) is { } what
            ? new ProviderException(provider, status, $"the response is not in the provider's documented format ({what})", ProviderFailure.MalformedResponse) { Usage = exchange.Usage }
            : null;
    }

    /// <summary>
    /// A whole body read outside the pass-through's copy (the translating path's check before the SDK reads it, a JSON
    /// body where a stream was asked for): <see cref="Body"/> then <see cref="NotAnAnswer"/> on a tap of <paramref name="wire"/>.
    /// Null when it is an answer, or not JSON at all (the reader that follows says so in its own words).
    /// </summary>
    public static ProviderException? CheckWhole(string wire, string provider, int status, ReadOnlySpan<byte> json, string? apiKey)
    {
        var tap = For(wire);
        var exchange = new ForwardExchange(stream: false, keepText: false, callerWantsUsage: false);
        try
        {
            tap.Body(json, exchange);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }

        return tap.NotAnAnswer(provider, status, json, exchange, apiKey);
    }

    /// <summary>Set by <see cref="Body"/> when the whole body is the provider's error, not an answer.</summary>
    protected bool ErrorBody { get; set; }

    /// <summary>What the whole answer read by <see cref="Body"/> lacks to be one (e.g. "the chat completion has no choices"), or null.</summary>
    protected abstract string? Lacks(ForwardExchange exchange);

    /// <summary>Remembers the code of a property name at its depth (deeper names are overwritten as they come).</summary>
    protected void Name(ref Utf8JsonReader reader, byte[][] names)
    {
        var depth = reader.CurrentDepth;
        if (depth >= Path.Length)
        {
            return;
        }

        Path[depth] = 0;
        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                Path[depth] = i + 1;
                return;
            }
        }
    }

    protected bool At(int depth, int code) => depth < Path.Length && Path[depth] == code;

    /// <summary>
    /// A piece of answer text: counted in characters of the unescaped text, as the translating path counts it (UTF-8
    /// bytes would count a CJK answer three times over, an escape such as <c>\n</c> twice), and kept when asked for.
    /// </summary>
    protected static void Append(ref Utf8JsonReader reader, ForwardExchange exchange)
    {
        var raw = reader.ValueSpan;
        if (raw.Length == 0)
        {
            return;
        }

        if (exchange.Text is { } text)
        {
            var value = reader.GetString()!;
            text.Append(value);
            exchange.SawText(value.Length);
        }
        else if (!reader.ValueIsEscaped)
        {
            exchange.SawText(Encoding.UTF8.GetCharCount(raw));
        }
        else if (raw.Length <= MaxStackChars)
        {
            // Unescaped, a text has at most as many characters as its escaped bytes.
            Span<char> chars = stackalloc char[MaxStackChars];
            exchange.SawText(reader.CopyString(chars));
        }
        else
        {
            exchange.SawText(reader.GetString()!.Length); // a long escaped piece: rare in a stream of small deltas
        }
    }

    private const int MaxStackChars = 512;
}
