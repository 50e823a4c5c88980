using System.Net;
using Glidepath.Gateway.Tests.Support;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Tests;

/// <remarks>Runs as is (scripted clients in-process: the translating path) and again, in the derived classes below, over HTTP
/// through the pass-through path and the translating one against a <see cref="ScriptedUpstream"/> answering with the same scripts.</remarks>
public class StreamingTests : IAsyncLifetime
{
    private GatewayFixture _f = null!;

    /// <summary>Null: in-process; otherwise the provider and path over HTTP.</summary>
    internal virtual GatewayUpstream? Upstream => null;

    public async Task InitializeAsync()
    {
        _f = await GatewayFixture.CreateAsync(upstream: Upstream);
        await _f.StartAsync();
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Theory]
    [InlineData("/v1/chat/completions", true)]
    [InlineData("/v1/messages", false)]
    public async Task Stream_SlowUpstream_FirstEventArrivesBeforeUpstreamFinishes(string path, bool openAi)
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _f.Models.For("stable-model").HoldAfterFirstUpdate = hold;
        var body = openAi ? GatewayFixture.Chat(extra: ",\"stream\":true") : GatewayFixture.Message(extra: ",\"stream\":true");
        using var request = new HttpRequestMessage(HttpMethod.Post, _f.Url + path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };

        using var response = await _f.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The upstream is still holding its second token: whatever arrives now was flushed per event.
        var firstData = await ReadDataLineAsync(reader).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(hold.Task.IsCompleted);
        Assert.Contains(openAi ? "chat.completion.chunk" : "message_start", firstData, StringComparison.Ordinal);
        if (!openAi)
        {
            Assert.Contains("content_block_start", await ReadDataLineAsync(reader).WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
            Assert.Contains("\"text\":\"hello\"", await ReadDataLineAsync(reader).WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("\"content\":\"hello\"", firstData, StringComparison.Ordinal);
        }

        hold.SetResult();
        var rest = await reader.ReadToEndAsync();
        Assert.Contains(openAi ? "data: [DONE]" : "event: message_stop", rest, StringComparison.Ordinal);
        Assert.Contains(openAi ? "\"finish_reason\":\"stop\"" : "\"stop_reason\":\"end_turn\"", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_StreamWithIncludeUsage_SendsUsageChunkThenDone()
    {
        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(extra: ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        var text = await response.Content.ReadAsStringAsync();

        // prompt_tokens_details.cached_tokens follows when the provider said (an Anthropic upstream always does), as OpenAI's own answers carry it.
        Assert.True(text.Contains("\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":4,\"total_tokens\":16", StringComparison.Ordinal), text);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_StreamedToolCall_ToolUseBlockWithInputJson()
    {
        _f.Models.For("stable-model").Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant,
            [new TextContent("Let me check."), new FunctionCallContent("toolu_9", "lookup_order", new Dictionary<string, object?> { ["order_id"] = "A-7" })]))
        { FinishReason = ChatFinishReason.ToolCalls };

        using var response = await _f.PostAsync("/v1/messages", GatewayFixture.Message(extra: ",\"stream\":true"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"lookup_order\",\"input\":{}}", text, StringComparison.Ordinal);
        Assert.Contains("\"partial_json\":\"{\\u0022order_id\\u0022:\\u0022A-7\\u0022}\"", text.Replace("\\\"", "\\u0022", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("\"stop_reason\":\"tool_use\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_StreamProviderFailsBeforeFirstToken_ErrorStatus()
    {
        _f.Models.For("stable-model").Failure = new Glidepath.Errors.ProviderException("sim", null, "timed out", Glidepath.Errors.ProviderFailure.Timeout);

        using var response = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(extra: ",\"stream\":true"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("timeout_error", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_ClientGoesAwayMidStream_TraceRecordsClientClosedAndGatewayKeepsServing()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _f.Models.For("stable-model").HoldAfterFirstUpdate = hold;
        string traceId;

        // No draining on dispose: the connection closes as a client that went away would close it.
        using var client = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 });
        using (var request = new HttpRequestMessage(HttpMethod.Post, _f.Url + "/v1/chat/completions") { Content = new StringContent(GatewayFixture.Chat(extra: ",\"stream\":true"), System.Text.Encoding.UTF8, "application/json") })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            traceId = response.Headers.GetValues("Glidepath-Trace").Single();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            await ReadDataLineAsync(reader).WaitAsync(TimeSpan.FromSeconds(10));
        }

        // The client is gone while the upstream is still slow; give the server a moment to see the closed connection.
        await Task.Delay(300);
        hold.SetResult();
        Glidepath.Traces.TraceRecord? trace = null;
        for (var i = 0; i < 200 && trace is null; i++)
        {
            trace = await _f.Store.Traces.GetAsync(traceId, default);
            await Task.Delay(25);
        }

        Assert.Equal(499, trace?.Status);

        // The usage never arrived (it comes with the last event): the prompt and the text sent are estimated and
        // counted (and priced, where the model has a price), so closing streams early does not make requests free
        // against a key's budget. "Can I return shoes after 45 days?" alone is about 9 tokens.
        Assert.True(trace!.InputTokens >= 8, $"input tokens {trace.InputTokens}");
        Assert.True(trace.OutputTokens >= 1, $"output tokens {trace.OutputTokens}");
        _f.Models.For("stable-model").HoldAfterFirstUpdate = null;
        using var next = await _f.PostAsync("/v1/chat/completions", GatewayFixture.Chat());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    private static async Task<string> ReadDataLineAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new EndOfStreamException("the stream ended before a data line");
    }
}

/// <summary>The cases of <see cref="StreamingTests"/> over HTTP: the release on an OpenAI-compatible provider, passed through.</summary>
public sealed class StreamingOpenAiPassThroughTests : StreamingTests
{
    internal override GatewayUpstream? Upstream => GatewayUpstream.OpenAiPassThrough;
}

/// <summary>The cases of <see cref="StreamingTests"/> over HTTP: the release on Anthropic, passed through.</summary>
public sealed class StreamingAnthropicPassThroughTests : StreamingTests
{
    internal override GatewayUpstream? Upstream => GatewayUpstream.AnthropicPassThrough;
}

/// <summary>The cases of <see cref="StreamingTests"/> over HTTP: the release on an OpenAI-compatible provider, pass-through off.</summary>
public sealed class StreamingOpenAiTranslatingTests : StreamingTests
{
    internal override GatewayUpstream? Upstream => GatewayUpstream.OpenAiTranslating;
}
