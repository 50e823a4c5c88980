using System.Buffers;
using System.Text.Json;
using Glidepath.Models;
using Glidepath.Serving.Chat;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>Anthropic messages: <c>POST /v1/messages</c>, streaming as message_start … message_stop events.</summary>
internal sealed class AnthropicWire : IWireFormat
{
    public static readonly AnthropicWire Instance = new();

    public string Name => "anthropic";

    public ChatRequest Parse(JsonElement root) => AnthropicRequestReader.Parse(root);

    public void WriteResponse(Utf8JsonWriter w, ChatResponse response, ResponseContext context)
    {
        var hasCalls = false;
        w.WriteStartObject();
        w.WriteString("id", context.ResponseId);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", context.Model);
        w.WriteStartArray("content");
        foreach (var m in response.Messages)
        {
            foreach (var c in m.Contents)
            {
                switch (c)
                {
                    case TextContent { Text.Length: > 0 } text:
                        w.WriteStartObject();
                        w.WriteString("type", "text");
                        w.WriteString("text", text.Text);
                        w.WriteEndObject();
                        break;
                    case FunctionCallContent call:
                        hasCalls = true;
                        w.WriteStartObject();
                        w.WriteString("type", "tool_use");
                        w.WriteString("id", call.CallId);
                        w.WriteString("name", call.Name);
                        w.WritePropertyName("input");
                        Json.WriteArguments(w, call.Arguments);
                        w.WriteEndObject();
                        break;
                }
            }
        }

        w.WriteEndArray();
        w.WriteString("stop_reason", FinishReasons.Anthropic(response.FinishReason, hasCalls));
        w.WriteNull("stop_sequence");
        WriteUsage(w, response.Usage);
        w.WriteEndObject();
    }

    /// <summary>
    /// Usage as Anthropic reports it: <c>input_tokens</c> are the input tokens the prompt cache neither read nor wrote, the
    /// cache's own beside them (an OpenAI answer's <c>cached_tokens</c> are its <c>cache_read_input_tokens</c>).
    /// </summary>
    private static void WriteUsage(Utf8JsonWriter w, UsageDetails? usage)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", PromptCacheUsage.Uncached(usage));
        w.WriteNumber("output_tokens", usage?.OutputTokenCount ?? 0);
        w.WriteNumber("cache_creation_input_tokens", PromptCacheUsage.Written(usage));
        w.WriteNumber("cache_read_input_tokens", PromptCacheUsage.Read(usage));
        w.WriteEndObject();
    }

    /// <remarks>Anthropic's errors have no <c>param</c> or <c>code</c>: <paramref name="param"/> and <paramref name="code"/> are not written.</remarks>
    public void WriteError(Utf8JsonWriter w, string kind, string message, string? param = null, string? code = null)
    {
        w.WriteStartObject();
        w.WriteString("type", "error");
        w.WriteStartObject("error");
        w.WriteString("type", kind);
        w.WriteString("message", message);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public IStreamWriter CreateStreamWriter(ResponseContext context, ChatRequest request) => new StreamWriter(context);

    private sealed class StreamWriter(ResponseContext context) : IStreamWriter
    {
        private bool _started;
        private int _index = -1;
        private bool _textOpen;
        private bool _hadToolCalls;

        public void WriteUpdate(IBufferWriter<byte> output, ChatResponseUpdate update)
        {
            Start(output, ModelResponseProperties.PromptUsageOf(update.AdditionalProperties));
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } text:
                        if (!_textOpen)
                        {
                            _index++;
                            _textOpen = true;
                            Sse.Event(output, "content_block_start", _index, static (w, i) =>
                            {
                                w.WriteStartObject();
                                w.WriteString("type", "content_block_start");
                                w.WriteNumber("index", i);
                                w.WriteStartObject("content_block");
                                w.WriteString("type", "text");
                                w.WriteString("text", "");
                                w.WriteEndObject();
                                w.WriteEndObject();
                            });
                        }

                        Sse.Event(output, "content_block_delta", (_index, text.Text), static (w, s) =>
                        {
                            w.WriteStartObject();
                            w.WriteString("type", "content_block_delta");
                            w.WriteNumber("index", s.Item1);
                            w.WriteStartObject("delta");
                            w.WriteString("type", "text_delta");
                            w.WriteString("text", s.Item2);
                            w.WriteEndObject();
                            w.WriteEndObject();
                        });
                        break;
                    case FunctionCallContent call:
                        _hadToolCalls = true;
                        CloseText(output);
                        _index++;
                        Sse.Event(output, "content_block_start", (_index, call), static (w, s) =>
                        {
                            w.WriteStartObject();
                            w.WriteString("type", "content_block_start");
                            w.WriteNumber("index", s.Item1);
                            w.WriteStartObject("content_block");
                            w.WriteString("type", "tool_use");
                            w.WriteString("id", s.call.CallId);
                            w.WriteString("name", s.call.Name);
                            w.WriteStartObject("input");
                            w.WriteEndObject();
                            w.WriteEndObject();
                            w.WriteEndObject();
                        });
                        Sse.Event(output, "content_block_delta", (_index, Json.ArgumentsText(call.Arguments)), static (w, s) =>
                        {
                            w.WriteStartObject();
                            w.WriteString("type", "content_block_delta");
                            w.WriteNumber("index", s.Item1);
                            w.WriteStartObject("delta");
                            w.WriteString("type", "input_json_delta");
                            w.WriteString("partial_json", s.Item2);
                            w.WriteEndObject();
                            w.WriteEndObject();
                        });
                        Stop(output, _index);
                        break;
                }
            }
        }

        /// <summary>
        /// The message_start event, with the usage the provider reported before the answer when it did (an Anthropic
        /// provider's own message_start: the Anthropic SDK reads the input tokens from here). An OpenAI-compatible provider
        /// reports usage only at its stream's end, so its input tokens are 0 here and come with message_delta.
        /// </summary>
        private void Start(IBufferWriter<byte> output, UsageDetails? usage)
        {
            if (_started)
            {
                return;
            }

            _started = true;
            Sse.Event(output, "message_start", (context, usage), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteString("type", "message_start");
                w.WriteStartObject("message");
                w.WriteString("id", s.context.ResponseId);
                w.WriteString("type", "message");
                w.WriteString("role", "assistant");
                w.WriteString("model", s.context.Model);
                w.WriteStartArray("content");
                w.WriteEndArray();
                w.WriteNull("stop_reason");
                w.WriteNull("stop_sequence");
                WriteUsage(w, s.usage);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }

        private void CloseText(IBufferWriter<byte> output)
        {
            if (_textOpen)
            {
                _textOpen = false;
                Stop(output, _index);
            }
        }

        private static void Stop(IBufferWriter<byte> output, int index) =>
            Sse.Event(output, "content_block_stop", index, static (w, i) =>
            {
                w.WriteStartObject();
                w.WriteString("type", "content_block_stop");
                w.WriteNumber("index", i);
                w.WriteEndObject();
            });

        public void WriteEnd(IBufferWriter<byte> output, UsageDetails? usage, ChatFinishReason? finishReason)
        {
            Start(output, null);
            CloseText(output);
            var reason = FinishReasons.Anthropic(finishReason, _hadToolCalls);
            Sse.Event(output, "message_delta", (reason, usage), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteString("type", "message_delta");
                w.WriteStartObject("delta");
                w.WriteString("stop_reason", s.reason);
                w.WriteNull("stop_sequence");
                w.WriteEndObject();
                WriteUsage(w, s.usage);
                w.WriteEndObject();
            });
            Sse.Event(output, "message_stop", 0, static (w, _) =>
            {
                w.WriteStartObject();
                w.WriteString("type", "message_stop");
                w.WriteEndObject();
            });
        }

        public void WriteError(IBufferWriter<byte> output, string kind, string message) =>
            Sse.Event(output, "error", (kind, message), static (w, s) => Instance.WriteError(w, s.kind, s.message));
    }
}
