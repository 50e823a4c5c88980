using System.Text.Json.Nodes;

namespace Glidepath.Providers.Tests.Wire;

/// <summary>Canned responses in one provider's wire format.</summary>
internal abstract class WireFormat
{
    public static readonly WireFormat OpenAI = new OpenAIWire();
    public static readonly WireFormat Anthropic = new AnthropicWire();

    public abstract string Provider { get; }

    public abstract string Model { get; }

    public abstract string RequestPath { get; }

    public abstract string BaseUrl(string serverUrl);

    public abstract string Text(string text, int input, int output);

    public abstract string ToolCall(string id, string name, string argumentsJson, int input, int output);

    public abstract IReadOnlyList<string> Stream(IReadOnlyList<string> chunks, int input, int output);

    public abstract string Error(string message);

    public static WireFormat Of(string provider) => provider == "openai" ? OpenAI : Anthropic;

    private sealed class OpenAIWire : WireFormat
    {
        public override string Provider => "openai";

        public override string Model => "gpt-4o-mini";

        public override string RequestPath => "/v1/chat/completions";

        public override string BaseUrl(string serverUrl) => serverUrl + "/v1";

        public override string Text(string text, int input, int output) =>
            Completion(new JsonObject { ["role"] = "assistant", ["content"] = text }, "stop", input, output);

        public override string ToolCall(string id, string name, string argumentsJson, int input, int output) =>
            Completion(new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = null,
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["id"] = id,
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = name, ["arguments"] = argumentsJson },
                }),
            }, "tool_calls", input, output);

        public override IReadOnlyList<string> Stream(IReadOnlyList<string> chunks, int input, int output)
        {
            var events = new List<string>();
            for (var i = 0; i < chunks.Count; i++)
            {
                var delta = new JsonObject { ["content"] = chunks[i] };
                if (i == 0)
                {
                    delta["role"] = "assistant";
                }

                events.Add("data: " + Chunk(new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = null }), null));
            }

            events.Add("data: " + Chunk(new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = new JsonObject(), ["finish_reason"] = "stop" }), null));
            events.Add("data: " + Chunk([], Usage(input, output)));
            events.Add("data: [DONE]");
            return events;
        }

        public override string Error(string message) =>
            new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["code"] = null } }.ToJsonString();

        private static JsonObject Usage(int input, int output) =>
            new() { ["prompt_tokens"] = input, ["completion_tokens"] = output, ["total_tokens"] = input + output };

        private static string Completion(JsonObject message, string finish, int input, int output) => new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["created"] = 1700000000,
            ["model"] = "gpt-4o-mini",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = finish }),
            ["usage"] = Usage(input, output),
        }.ToJsonString();

        private static string Chunk(JsonArray choices, JsonObject? usage)
        {
            var o = new JsonObject
            {
                ["id"] = "chatcmpl-3",
                ["object"] = "chat.completion.chunk",
                ["created"] = 1700000000,
                ["model"] = "gpt-4o-mini",
                ["choices"] = choices,
            };
            if (usage is not null)
            {
                o["usage"] = usage;
            }

            return o.ToJsonString();
        }
    }

    private sealed class AnthropicWire : WireFormat
    {
        public override string Provider => "anthropic";

        public override string Model => "claude-sonnet-4-5";

        public override string RequestPath => "/v1/messages";

        public override string BaseUrl(string serverUrl) => serverUrl;

        public override string Text(string text, int input, int output) =>
            Message(new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }), "end_turn", input, output).ToJsonString();

        public override string ToolCall(string id, string name, string argumentsJson, int input, int output) =>
            Message(new JsonArray(new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = JsonNode.Parse(argumentsJson) }), "tool_use", input, output).ToJsonString();

        public override IReadOnlyList<string> Stream(IReadOnlyList<string> chunks, int input, int output)
        {
            var start = Message([], null, input, 1);
            var events = new List<string>
            {
                Event("message_start", new JsonObject { ["type"] = "message_start", ["message"] = start }),
                Event("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } }),
            };
            foreach (var c in chunks)
            {
                events.Add(Event("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = c } }));
            }

            events.Add(Event("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 }));
            events.Add(Event("message_delta", new JsonObject
            {
                ["type"] = "message_delta",
                ["delta"] = new JsonObject { ["stop_reason"] = "end_turn", ["stop_sequence"] = null },
                ["usage"] = new JsonObject { ["output_tokens"] = output },
            }));
            events.Add(Event("message_stop", new JsonObject { ["type"] = "message_stop" }));
            return events;
        }

        public override string Error(string message) =>
            new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = "api_error", ["message"] = message } }.ToJsonString();

        private static string Event(string name, JsonObject data) => "event: " + name + "\ndata: " + data.ToJsonString();

        private static JsonObject Message(JsonArray content, string? stop, int input, int output) => new()
        {
            ["id"] = "msg_1",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = "claude-sonnet-4-5",
            ["content"] = content,
            ["stop_reason"] = stop,
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = input, ["output_tokens"] = output },
        };
    }
}
