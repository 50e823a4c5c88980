using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// Taps OpenAI chat completions: <c>choices[].message|delta.content|tool_calls</c>, <c>choices[].finish_reason</c>,
/// <c>usage</c> (with <c>prompt_tokens_details.cached_tokens</c>, the part of the prompt read from the cache, as the SDK's
/// chat client reads it); streamed, also an <c>error</c> event (how OpenAI-compatible servers report a failure after the stream began).
/// </summary>
internal sealed class OpenAiResponseTap : ResponseTap
{
    private const int Choices = 1, Usage = 2, Message = 3, FinishReason = 4, Content = 5, ToolCalls = 6, Prompt = 7, Completion = 8, Total = 9, Error = 10, PromptDetails = 11, Cached = 12;

    private static readonly byte[][] Names =
    [
        "choices"u8.ToArray(), "usage"u8.ToArray(), "message"u8.ToArray(), "finish_reason"u8.ToArray(), "content"u8.ToArray(),
        "tool_calls"u8.ToArray(), "prompt_tokens"u8.ToArray(), "completion_tokens"u8.ToArray(), "total_tokens"u8.ToArray(), "error"u8.ToArray(),
        "prompt_tokens_details"u8.ToArray(), "cached_tokens"u8.ToArray(),
    ];

    private static readonly byte[] Delta = "delta"u8.ToArray();

    /// <summary>Whole answers: how many choices, and whether one carried a message.</summary>
    private int _choices;
    private bool _message;

    /// <summary>Streams: whether the usage chunk (usage, no choices: OpenAI's last chunk before <c>[DONE]</c>) has come.</summary>
    private bool _answered;

    public override void Body(ReadOnlySpan<byte> json, ForwardExchange exchange) => _choices = Read(json, exchange).Choices;

    /// <summary>An answer is a choice with a message and a finish reason (what the OpenAI SDK's client reads of it).</summary>
    protected override string? Lacks(ForwardExchange exchange) =>
        _choices == 0 ? "the chat completion has no choices"
        : !_message ? "the chat completion's choice has no message"
        : exchange.FinishReason is null ? "the chat completion has no finish_reason"
        : null;

    public override TappedEvent Event(ReadOnlySpan<byte> data, ForwardExchange exchange)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            return TappedEvent.Last;
        }

        var (choices, usage) = Read(data, exchange);
        if (!usage)
        {
            return TappedEvent.Copy;
        }

        // Usage comes once, when the answer is done: in a chunk of its own (OpenAI), or in the chunk with the finish reason
        // (vLLM and other OpenAI-compatible servers). Either way only [DONE] is left to send.
        _answered = exchange.FinishReason is not null;
        if (choices > 0)
        {
            return TappedEvent.Copy;
        }

        // The usage chunk (no choices) is always asked of the provider, for the trace; the caller gets it only if it asked.
        return exchange.CallerWantsUsage ? TappedEvent.Copy : TappedEvent.Drop;
    }

    public override ReadOnlySpan<byte> LastEvent => "data: [DONE]\n\n"u8;

    /// <summary>After the finish reason and the usage an OpenAI stream has only <c>[DONE]</c> left to send.</summary>
    public override bool Answered(ForwardExchange exchange) => _answered && exchange.Succeeded;

    private (int Choices, bool Usage) Read(ReadOnlySpan<byte> json, ForwardExchange exchange)
    {
        var reader = new Utf8JsonReader(json);
        var choices = 0;
        var sawUsage = false;
        long? input = null, output = null, total = null, cached = null;
        while (reader.Read())
        {
            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    Name(ref reader, Names);
                    if (depth == 3 && At(1, Choices) && reader.ValueTextEquals(Delta))
                    {
                        Path[3] = Message;
                    }

                    break;
                case JsonTokenType.StartObject when depth == 2 && At(1, Choices):
                    choices++;
                    break;
                case JsonTokenType.StartObject when depth == 1 && At(1, Usage):
                    sawUsage = true;
                    break;
                case JsonTokenType.StartObject when depth == 3 && At(1, Choices) && At(3, Message):
                    _message = true;
                    break;
                case JsonTokenType.StartObject when depth == 5 && At(1, Choices) && At(3, Message) && At(4, ToolCalls):
                    exchange.SawToken();
                    break;
                case JsonTokenType.String when depth == 4 && At(1, Choices) && At(3, Message) && At(4, Content):
                    Append(ref reader, exchange);
                    break;
                case JsonTokenType.String when depth == 3 && At(1, Choices) && At(3, FinishReason):
                    exchange.FinishReason = Finish(reader.GetString()!);
                    break;
                // {"error": {"message": …}} or {"error": "…"} in a stream: the provider failed after the stream began. The
                // event goes to the caller as it came; the call is traced as the failure it is (ChatCall.CollectForwarded).
                case JsonTokenType.StartObject when depth == 1 && At(1, Error) && exchange.Stream:
                    exchange.StreamError ??= "error";
                    break;
                case JsonTokenType.String when (depth == 1 && At(1, Error) || depth == 2 && At(1, Error) && At(2, Message)) && exchange.Stream:
                    exchange.StreamError = reader.GetString() is { Length: > 0 } said ? said : "error";
                    break;
                // A whole answer that is {"error": …} (LiteLLM and other OpenAI-compatible proxies answer a failure with a 200).
                case JsonTokenType.StartObject or JsonTokenType.String when depth == 1 && At(1, Error) && !exchange.Stream:
                    ErrorBody = true;
                    break;
                case JsonTokenType.Number when depth == 2 && At(1, Usage):
                    if (At(2, Prompt))
                    {
                        input = reader.GetInt64();
                    }
                    else if (At(2, Completion))
                    {
                        output = reader.GetInt64();
                    }
                    else if (At(2, Total))
                    {
                        total = reader.GetInt64();
                    }

                    break;
                case JsonTokenType.Number when depth == 3 && At(1, Usage) && At(2, PromptDetails) && At(3, Cached):
                    cached = reader.GetInt64();
                    break;
            }
        }

        if (sawUsage)
        {
            // OpenAI reports usage once, when the answer is done (a whole answer's, a stream's usage chunk).
            exchange.Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = total, CachedInputTokenCount = cached };
            exchange.UsageComplete = true;
        }

        return (choices, sawUsage);
    }

    /// <summary>The pivot's finish reason, as the OpenAI client of Microsoft.Extensions.AI maps it.</summary>
    internal static ChatFinishReason Finish(string reason) => reason switch
    {
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };
}
