using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Glidepath.IntegrationTests;

/// <summary>
/// A local OpenAI-compatible provider on 127.0.0.1: answers "Hello there" (streamed word by word, waiting on
/// <see cref="Gate"/> after the first word), or a lookup_order tool call when the last user message mentions an order.
/// Records the last request body it got.
/// </summary>
internal sealed class FakeOpenAiUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAiUpstream(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public TaskCompletionSource Gate { get; set; } = Opened();

    public JsonElement LastRequest { get; private set; }

    public static TaskCompletionSource Opened()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }

    public static async Task<FakeOpenAiUpstream> StartAsync()
    {
        FakeOpenAiUpstream? self = null;
        var (app, url) = await LoopbackApp.StartAsync(app => app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body);
            self!.LastRequest = doc.RootElement.Clone();
            var last = doc.RootElement.GetProperty("messages").EnumerateArray().Last();
            var wantsTool = last.GetProperty("role").GetString() == "user" && (last.GetProperty("content").ToString()).Contains("order", StringComparison.OrdinalIgnoreCase);
            var stream = doc.RootElement.TryGetProperty("stream", out var s) && s.GetBoolean();
            if (!stream)
            {
                http.Response.ContentType = "application/json";
                var message = wantsTool
                    ? """{"role":"assistant","content":null,"tool_calls":[{"id":"call_42","type":"function","function":{"name":"lookup_order","arguments":"{\"order_id\":\"NW-1\"}"}}]}"""
                    : """{"role":"assistant","content":"Hello there"}""";
                var finish = wantsTool ? "tool_calls" : "stop";
                var head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"fake-gpt\",\"choices\":[{\"index\":0,\"message\":";
                var tail = ",\"finish_reason\":\"" + finish + "\"}],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":3,\"total_tokens\":23}}";
                await http.Response.WriteAsync(head + message + tail);
                return;
            }

            http.Response.ContentType = "text/event-stream";
            async Task Send(string json)
            {
                await http.Response.WriteAsync("data: " + json + "\n\n");
                await http.Response.Body.FlushAsync();
            }

            await Send("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"fake-gpt","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}""");
            await self.Gate.Task;
            await Send("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"fake-gpt","choices":[{"index":0,"delta":{"content":" there"},"finish_reason":null}]}""");
            await Send("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"fake-gpt","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""");
            await Send("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"fake-gpt","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":2,"total_tokens":22}}""");
            await http.Response.WriteAsync("data: [DONE]\n\n");
        }));
        self = new FakeOpenAiUpstream(app, url);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        Gate.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
