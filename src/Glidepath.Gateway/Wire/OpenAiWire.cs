using System.Buffers;
using System.Text.Json;
using Glidepath.Models;
using Glidepath.Serving.Chat;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>OpenAI chat completions: <c>POST /v1/chat/completions</c>, streaming as <c>chat.completion.chunk</c> events.</summary>
internal sealed class OpenAiWire : IWireFormat
{
    public static readonly OpenAiWire Instance = new();

    public string Name => "openai";

    public ChatRequest Parse(JsonElement root) => OpenAiRequestReader.Parse(root);

    public void WriteResponse(Utf8JsonWriter w, ChatResponse response, ResponseContext context)
    {
        var calls = new List<FunctionCallContent>();
        foreach (var m in response.Messages)
        {
            foreach (var c in m.Contents)
            {
                if (c is FunctionCallContent fc)
                {
                    calls.Add(fc);
                }
            }
        }

        w.WriteStartObject();
        w.WriteString("id", context.ResponseId);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", context.CreatedUnixSeconds);
        w.WriteString("model", context.Model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        var text = response.Text;
        if (text.Length == 0 && calls.Count > 0)
        {
            w.WriteNull("content");
        }
        else
        {
            w.WriteString("content", text);
        }

        w.WriteNull("refusal");
        if (calls.Count > 0)
        {
            w.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                WriteToolCall(w, call, null);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", FinishReasons.OpenAi(response.FinishReason, calls.Count > 0));
        w.WriteEndObject();
        w.WriteEndArray();
        WriteUsage(w, response.Usage);
        w.WriteEndObject();
    }

    private static void WriteToolCall(Utf8JsonWriter w, FunctionCallContent call, int? index)
    {
        w.WriteStartObject();
        if (index is { } i)
        {
            w.WriteNumber("index", i);
        }

        w.WriteString("id", call.CallId);
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", call.Name);
        w.WriteString("arguments", Json.ArgumentsText(call.Arguments));
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// Usage as OpenAI reports it: <c>prompt_tokens</c> counts every input token, those of the prompt cache included (an
    /// Anthropic answer's <c>input_tokens</c> plus its cache reads and writes), and <c>prompt_tokens_details.cached_tokens</c>
    /// the part read from the cache, when the provider said.
    /// </summary>
    private static void WriteUsage(Utf8JsonWriter w, UsageDetails? usage)
    {
        var input = usage?.InputTokenCount ?? 0;
        var output = usage?.OutputTokenCount ?? 0;
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", input);
        w.WriteNumber("completion_tokens", output);
        w.WriteNumber("total_tokens", usage?.TotalTokenCount ?? input + output);
        if (usage?.CachedInputTokenCount is { } cached)
        {
            w.WriteStartObject("prompt_tokens_details");
            w.WriteNumber("cached_tokens", cached);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    public void WriteError(Utf8JsonWriter w, string kind, string message, string? param = null, string? code = null)
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteString("type", kind);
        if (param is null)
        {
            w.WriteNull("param");
        }
        else
        {
            w.WriteString("param", param);
        }

        w.WriteString("code", code ?? kind);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public IStreamWriter CreateStreamWriter(ResponseContext context, ChatRequest request) => new StreamWriter(context, this) { IncludeUsage = request.IncludeUsage };

    private sealed class StreamWriter(ResponseContext context, OpenAiWire wire) : IStreamWriter
    {
        private bool _roleSent;
        private int _toolIndex;
        private bool _hadToolCalls;

        public bool IncludeUsage { get; set; }

        public void WriteUpdate(IBufferWriter<byte> output, ChatResponseUpdate update)
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } text:
                        Chunk(output, text.Text, null);
                        break;
                    case FunctionCallContent call:
                        _hadToolCalls = true;
                        Chunk(output, null, call);
                        break;
                }
            }
        }

        private void Chunk(IBufferWriter<byte> output, string? text, FunctionCallContent? call)
        {
            var sendRole = !_roleSent;
            _roleSent = true;
            var index = call is null ? 0 : _toolIndex++;
            Sse.Event(output, null, (this, text, call, sendRole, index), static (w, s) =>
            {
                s.Item1.Header(w);
                w.WriteStartObject("delta");
                if (s.sendRole)
                {
                    w.WriteString("role", "assistant");
                }

                if (s.text is not null)
                {
                    w.WriteString("content", s.text);
                }

                if (s.call is not null)
                {
                    w.WriteStartArray("tool_calls");
                    WriteToolCall(w, s.call, s.index);
                    w.WriteEndArray();
                }

                w.WriteEndObject();
                w.WriteNull("logprobs");
                w.WriteNull("finish_reason");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }

        private void Header(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("id", context.ResponseId);
            w.WriteString("object", "chat.completion.chunk");
            w.WriteNumber("created", context.CreatedUnixSeconds);
            w.WriteString("model", context.Model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
        }

        public void WriteEnd(IBufferWriter<byte> output, UsageDetails? usage, ChatFinishReason? finishReason)
        {
            var reason = FinishReasons.OpenAi(finishReason, _hadToolCalls);
            Sse.Event(output, null, (this, reason), static (w, s) =>
            {
                s.Item1.Header(w);
                w.WriteStartObject("delta");
                w.WriteEndObject();
                w.WriteNull("logprobs");
                w.WriteString("finish_reason", s.reason);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
            });
            if (IncludeUsage)
            {
                Sse.Event(output, null, (context, usage), static (w, s) =>
                {
                    w.WriteStartObject();
                    w.WriteString("id", s.context.ResponseId);
                    w.WriteString("object", "chat.completion.chunk");
                    w.WriteNumber("created", s.context.CreatedUnixSeconds);
                    w.WriteString("model", s.context.Model);
                    w.WriteStartArray("choices");
                    w.WriteEndArray();
                    WriteUsage(w, s.usage);
                    w.WriteEndObject();
                });
            }

            Sse.Done(output);
        }

        public void WriteError(IBufferWriter<byte> output, string kind, string message) =>
            Sse.Event(output, null, (wire, kind, message), static (w, s) => s.wire.WriteError(w, s.kind, s.message));
    }
}
