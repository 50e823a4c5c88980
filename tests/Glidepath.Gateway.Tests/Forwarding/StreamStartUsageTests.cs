using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Models;
using Glidepath.Providers;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Tests.Forwarding;

/// <summary>
/// The official Anthropic SDK streaming through the gateway reads the input tokens from <c>message_start</c>: the
/// gateway's own message_start (the translating path) reports what the provider reported there, as the provider's own
/// (passed through) does; an OpenAI provider reports usage only at its stream's end, so message_start says 0 and the
/// count comes with message_delta.
/// </summary>
public sealed class StreamStartUsageTests
{
    private static readonly string[] AnthropicStream =
    [
        "event: message_start\n" + """data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":20,"cache_creation_input_tokens":1000,"cache_read_input_tokens":5000,"output_tokens":1}}}""",
        "event: content_block_start\n" + """data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        "event: content_block_delta\n" + """data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}""",
        "event: content_block_stop\n" + """data: {"type":"content_block_stop","index":0}""",
        "event: message_delta\n" + """data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}""",
        "event: message_stop\n" + """data: {"type":"message_stop"}""",
    ];

    private static readonly string[] OpenAiStream =
    [
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}""",
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""",
        """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":10,"total_tokens":1010,"prompt_tokens_details":{"cached_tokens":900}}}""",
        "data: [DONE]",
    ];

    [Theory]
    [InlineData(true)]  // passed through: the provider's own message_start
    [InlineData(false)] // translated: the gateway's
    public async Task AnthropicSdkStream_AnthropicRelease_MessageStartReportsTheProvidersInputTokens(bool passThrough)
    {
        var (start, usage) = await StreamAsync("anthropic", AnthropicStream, passThrough);

        Assert.Equal((20L, 5000L, 1000L), (start.Usage.InputTokens, start.Usage.CacheReadInputTokens ?? 0, start.Usage.CacheCreationInputTokens ?? 0));
        Assert.Equal((6020L, 15L), (usage.InputTokenCount, usage.OutputTokenCount));
    }

    [Fact]
    public async Task AnthropicSdkStream_OpenAiRelease_MessageStartSaysNoInputYet_MessageDeltaCarriesIt()
    {
        var (start, usage) = await StreamAsync("openai", OpenAiStream, passThrough: true);

        Assert.Equal(0L, start.Usage.InputTokens);
        Assert.Equal((1000L, 900L, 10L), (usage.InputTokenCount, usage.CachedInputTokenCount, usage.OutputTokenCount));
    }

    /// <summary>Streams one Anthropic request through the gateway with the official SDK; the message of its message_start and its final usage.</summary>
    private static async Task<(Message Start, UsageDetails Usage)> StreamAsync(string provider, string[] events, bool passThrough)
    {
        await using var upstream = await JunkUpstream.StartAsync(200, "text/event-stream", string.Concat(events.Select(e => e + "\n\n")));
        await using var f = await GatewayFixture.CreateAsync(editManifest: upstream.ManifestFor(provider));
        using var models = new ModelClientFactory(TimeProvider.System, PriceTable.For(f.Manifest), defaults: new ModelClientDefaults { GetEnvironmentVariable = _ => "sk-test-upstream-key" });
        await f.StartAsync(s => s with { Models = models }, o => o with { Gateway = o.Gateway with { PassThrough = passThrough } });
        var client = new AnthropicClient(new ClientOptions { ApiKey = "unused", BaseUrl = f.Url, MaxRetries = 0 }).AsIChatClient("support-agent", 100);

        Message? start = null;
        UsageDetails? usage = null;
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]))
        {
            if (start is null && update.RawRepresentation is RawMessageStreamEvent raw && raw.TryPickStart(out var started))
            {
                start = started.Message;
            }

            usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
        }

        return (start ?? throw new Xunit.Sdk.XunitException("no message_start"), usage ?? throw new Xunit.Sdk.XunitException("no usage"));
    }
}
