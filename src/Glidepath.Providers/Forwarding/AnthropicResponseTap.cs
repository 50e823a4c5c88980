using System.Text.Json;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// Taps Anthropic messages: <c>content[]</c> text and tool use, <c>stop_reason</c>, <c>usage</c>; streamed, the
/// <c>message_start</c> (input tokens), <c>content_block_start|delta</c> and <c>message_delta</c> (stop reason, output
/// tokens) events, and an <c>error</c> event. Usage is read as the SDK's chat client reports it: input is
/// <c>input_tokens</c> plus the prompt cache's <c>cache_read_input_tokens</c> and <c>cache_creation_input_tokens</c>,
/// which are kept beside it (<see cref="Glidepath.Models.PromptCacheUsage"/>) with the part written to the 1-hour cache
/// (<c>cache_creation.ephemeral_1h_input_tokens</c>), so both paths count and price them alike.
/// </summary>
internal sealed class AnthropicResponseTap : ResponseTap
{
    private const int Content = 1, StopReason = 2, Usage = 3, Text = 4, Type = 5, Message = 6, ContentBlock = 7, Delta = 8, Input = 9, Output = 10, Error = 11, CacheWrite = 12, CacheRead = 13, CacheCreation = 14, CacheWrite1h = 15;

    private static readonly byte[][] Names =
    [
        "content"u8.ToArray(), "stop_reason"u8.ToArray(), "usage"u8.ToArray(), "text"u8.ToArray(), "type"u8.ToArray(), "message"u8.ToArray(),
        "content_block"u8.ToArray(), "delta"u8.ToArray(), "input_tokens"u8.ToArray(), "output_tokens"u8.ToArray(), "error"u8.ToArray(),
        "cache_creation_input_tokens"u8.ToArray(), "cache_read_input_tokens"u8.ToArray(), "cache_creation"u8.ToArray(), "ephemeral_1h_input_tokens"u8.ToArray(),
    ];

    /// <summary>Whole answers: whether the message had its <c>content</c> array.</summary>
    private bool _content;

    public override void Body(ReadOnlySpan<byte> json, ForwardExchange exchange) => Read(json, exchange, streamed: false);

    /// <summary>An answer is a message with a <c>content</c> array and a <c>stop_reason</c> (always set on a whole answer).</summary>
    protected override string? Lacks(ForwardExchange exchange) =>
        !_content ? "the message has no content"
        : exchange.FinishReason is null ? "the message has no stop_reason"
        : null;

    public override TappedEvent Event(ReadOnlySpan<byte> data, ForwardExchange exchange) =>
        Read(data, exchange, streamed: true) ? TappedEvent.Last : TappedEvent.Copy;

    public override ReadOnlySpan<byte> LastEvent => "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8;

    /// <summary>Reads a body or an event; true when it is the stream's last event, <c>message_stop</c>.</summary>
    private bool Read(ReadOnlySpan<byte> json, ForwardExchange exchange, bool streamed)
    {
        var reader = new Utf8JsonReader(json);

        // A stream's usage comes in parts (message_start, then message_delta): what a later event leaves out stays.
        var known = exchange.Usage;
        long? input = known is null ? null : PromptCacheUsage.Uncached(known), output = known?.OutputTokenCount;
        long? cacheRead = known?.CachedInputTokenCount, cacheWrite = known is null ? null : PromptCacheUsage.Written(known);
        long? cacheWrite1h = known is null ? null : PromptCacheUsage.Written1h(known);
        var sawUsage = false;
        var last = false;
        while (reader.Read())
        {
            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    Name(ref reader, Names);
                    break;
                case JsonTokenType.String when depth == 1 && At(1, Type) && reader.ValueTextEquals("error"u8):
                    if (streamed)
                    {
                        exchange.StreamError = "error";
                    }
                    else
                    {
                        ErrorBody = true; // a whole answer that is {"type": "error", …}
                    }

                    break;
                case JsonTokenType.String when streamed && depth == 1 && At(1, Type) && reader.ValueTextEquals("message_stop"u8):
                    last = true;
                    break;
                case JsonTokenType.StartArray when !streamed && depth == 1 && At(1, Content):
                    _content = true;
                    break;
                case JsonTokenType.String when depth == 2 && At(1, Error) && At(2, Message) && exchange.StreamError is not null:
                    exchange.StreamError = reader.GetString();
                    break;
                case JsonTokenType.String when depth == 2 && At(1, Error) && At(2, Type) && exchange.StreamError is not null:
                    exchange.StreamErrorOverloaded = reader.ValueTextEquals("overloaded_error"u8);
                    break;
                case JsonTokenType.String when !streamed && depth == 3 && At(1, Content) && At(3, Text):
                case JsonTokenType.String when streamed && depth == 2 && At(1, Delta) && At(2, Text):
                    Append(ref reader, exchange);
                    break;
                case JsonTokenType.String when (!streamed && depth == 3 && At(1, Content) || streamed && depth == 2 && At(1, ContentBlock)) && At(depth, Type) && reader.ValueTextEquals("tool_use"u8):
                    exchange.SawToken();
                    break;
                case JsonTokenType.String when depth == 1 && At(1, StopReason) || depth == 2 && At(1, Delta) && At(2, StopReason):
                    exchange.FinishReason = Finish(reader.GetString()!);
                    break;
                case JsonTokenType.Number when depth == 3 && At(1, Usage) && At(2, CacheCreation) && At(3, CacheWrite1h)
                    || depth == 4 && At(1, Message) && At(2, Usage) && At(3, CacheCreation) && At(4, CacheWrite1h):
                    cacheWrite1h = reader.GetInt64();
                    break;
                case JsonTokenType.Number when depth == 2 && At(1, Usage) || depth == 3 && At(1, Message) && At(2, Usage):
                    sawUsage = true;

                    // A whole answer's usage, or message_delta's at the end of a stream; message_start's comes before the answer.
                    exchange.UsageComplete |= depth == 2;
                    if (At(depth, Input))
                    {
                        input = reader.GetInt64();
                    }
                    else if (At(depth, Output))
                    {
                        output = reader.GetInt64();
                    }
                    else if (At(depth, CacheRead))
                    {
                        cacheRead = reader.GetInt64();
                    }
                    else if (At(depth, CacheWrite))
                    {
                        cacheWrite = reader.GetInt64();
                    }

                    break;
            }
        }

        if (sawUsage)
        {
            exchange.Usage = PromptCacheUsage.FromParts(input, cacheRead, cacheWrite, output, cacheWrite1h);
        }

        return last;
    }

    /// <summary>The pivot's finish reason, as the Anthropic client of Microsoft.Extensions.AI maps it.</summary>
    internal static ChatFinishReason Finish(string reason) => reason switch
    {
        "end_turn" or "stop_sequence" or "pause_turn" => ChatFinishReason.Stop,
        "max_tokens" or "model_context_window_exceeded" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "refusal" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(reason),
    };
}
