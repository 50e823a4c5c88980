using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Manifests;
using Glidepath.Providers.Caching;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Tests.Caching;

/// <summary>
/// The response-cache key is part of every user's cache: a faster implementation must give the same digest as the
/// one that filled their caches. The expected values were computed with the original JsonObject-tree implementation.
/// </summary>
public sealed class ResponseCacheKeyTests
{
    private static readonly ModelSpec Model = new()
    {
        Provider = "openai",
        Name = "gpt-4o-mini",
        Options = new Dictionary<string, JsonNode?> { ["zeta"] = 1, ["alpha"] = new JsonObject { ["b"] = "x", ["a"] = new JsonArray(1, 2.5, "é\"<") }, ["none"] = null },
    };

    private static readonly AIFunctionDeclaration Tool = AIFunctionFactory.CreateDeclaration(
        "lookup_order",
        "Finds an order — by id",
        JsonDocument.Parse("""{ "type": "object", "properties": { "order_id": { "type": "string", "description": "ünïcode <&>" } }, "required": ["order_id"] }""").RootElement);


    private static string Compute(string which) => which switch
    {
        "minimal" => ResponseCacheKey.Compute("sim", null, new ModelSpec { Provider = "sim", Name = "sim-1" }, [new ChatMessage(ChatRole.User, "hi")], null, 0),
        _ => ResponseCacheKey.Compute(
            "openai",
            "http://127.0.0.1:9/v1",
            Model,
            [
                new ChatMessage(ChatRole.System, "You are a support agent.\n- Refunds: 30 days."),
                new ChatMessage(ChatRole.User, "Where is order 42? \u2603 \"quoted\" <b>"),
                new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("call_1", "lookup_order", new Dictionary<string, object?> { ["order_id"] = "42" })]),
                new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", "shipped")]),
            ],
            new ChatOptions
            {
                ModelId = "gpt-4o",
                Temperature = 0.2f,
                MaxOutputTokens = 400,
                TopP = 0.9f,
                TopK = 40,
                Seed = 7,
                StopSequences = ["END", "###"],
                ToolMode = ChatToolMode.Auto,
                Tools = [Tool, new HostedWebSearchTool()],
            },
            3),
    };

    [Theory]
    [InlineData("minimal")]
    [InlineData("full")]
    public void Compute_SameDigestAsTheOriginalImplementation(string which)
    {
        Assert.Equal(Expected[which], Compute(which));
    }

    [Fact]
    public void Compute_SameSystemPromptAgain_KeptJsonGivesTheSameDigest()
    {
        Assert.Equal(Expected["full"], Compute("full"));
        Assert.Equal(Expected["full"], Compute("full"));
    }

    [Fact]
    public void Compute_SystemMessageWithMoreThanItsText_NotTakenForThePlainOne()
    {
        ChatMessage[] plain = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "hi")];
        ChatMessage[] authored = [new(ChatRole.System, "Be brief.") { AuthorName = "ops" }, new(ChatRole.User, "hi")];
        var model = new ModelSpec { Provider = "sim", Name = "sim-1" };

        Assert.NotEqual(ResponseCacheKey.Compute("sim", null, model, plain, null, 0), ResponseCacheKey.Compute("sim", null, model, authored, null, 0));
    }

    [Fact]
    public void Compute_AnyChangeOfInputChangesTheKey()
    {
        var a = ResponseCacheKey.Compute("sim", null, new ModelSpec { Provider = "sim", Name = "sim-1" }, [new ChatMessage(ChatRole.User, "hi")], null, 0);
        Assert.NotEqual(a, ResponseCacheKey.Compute("sim", null, new ModelSpec { Provider = "sim", Name = "sim-1" }, [new ChatMessage(ChatRole.User, "hi")], null, 1));
        Assert.NotEqual(a, ResponseCacheKey.Compute("sim", null, new ModelSpec { Provider = "sim", Name = "sim-1" }, [new ChatMessage(ChatRole.User, "hi!")], null, 0));
        Assert.NotEqual(a, ResponseCacheKey.Compute("sim", null, new ModelSpec { Provider = "sim", Name = "sim-1" }, [new ChatMessage(ChatRole.User, "hi")], new ChatOptions { Tools = [Tool] }, 0));
        Assert.NotEqual(a, ResponseCacheKey.Compute("sim", null, new ModelSpec { Provider = "sim", Name = "sim-1" }, [new ChatMessage(ChatRole.User, "hi")], null, 0, "judge"));
        Assert.Equal(a, ResponseCacheKey.Compute("sim", null, new ModelSpec { Provider = "sim", Name = "sim-1" }, [new ChatMessage(ChatRole.User, "hi")], null, 0, scope: null));
    }

    // Answers cached for Anthropic before its sampling parameters were sent were sampled at the provider's default: the
    // key's version moved, so they miss instead of answering a request that now sends temperature 0.2.
    [Fact]
    public void Compute_Anthropic_KeyVersionMovedPastAnswersSampledWithoutTheParameters()
    {
        var key = ResponseCacheKey.Compute("anthropic", null, new ModelSpec { Provider = "anthropic", Name = "claude" }, [new ChatMessage(ChatRole.User, "hi")], new ChatOptions { Temperature = 0.2f }, 0);
        Assert.NotEqual(BeforeSamplingWasSent, key);
        Assert.Equal(AnthropicNow, key);
    }

    private const string BeforeSamplingWasSent = "3e86dfca8a3b98ccec2ed9c58d151ee7dd33b64d088ff5ae36b4d1fc7d099a23";
    private const string AnthropicNow = "c7ca023802008ec813a5d7bd3c112dbe816f35d4e24a7706812a70668a7a4cd2";

    private static readonly Dictionary<string, string> Expected = new()
    {
        ["minimal"] = "9eabb2cd4951e5eb641e4c93087f57e6f25e6db45073a5501c36ddcd7d91682b",
        ["full"] = "cae19374f19abb82c1701ab05075cd3eed1349a0fbddcb048d4212a40be43373",
    };
}
