using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace Glidepath.Providers.Tests.Sim;

public sealed class SimChatClientTests : IDisposable
{
    private static readonly string[] Questions =
    [
        "How long do I have to return an item?",
        "How long does standard shipping take?",
        "Do you accept PayPal?",
        "Is my jacket covered by warranty?",
        "Do you price match?",
        "My stove arrived damaged, what now?",
        "Who pays customs fees?",
        "Can I get store credit for a late return?",
    ];

    private readonly SampleApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task GetResponse_SameSeed_SameOutput()
    {
        var a = await AnswersAsync(seed: 7, temperature: 0.9);
        var b = await AnswersAsync(seed: 7, temperature: 0.9);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task GetResponse_DifferentSeedsAboveZeroTemperature_SomeVariation()
    {
        var runs = new List<string>();
        for (var seed = 1; seed <= 4; seed++)
        {
            runs.Add(string.Join("\n", await AnswersAsync(seed, temperature: 1.0)));
        }

        Assert.True(runs.Distinct().Count() >= 2, "different seeds at temperature 1 should not all give the same answers");
    }

    [Fact]
    public async Task GetResponse_ZeroTemperature_SeedDoesNotMatter()
    {
        Assert.Equal(await AnswersAsync(seed: 1, temperature: 0), await AnswersAsync(seed: 99, temperature: 0));
    }

    [Fact]
    public async Task GetResponse_HighTemperature_SometimesPicksAWorseLine()
    {
        // At temperature 0 the refund question is always answered from the refund-window line; hot, not always.
        var hits = 0;
        for (var trial = 0; trial < 40; trial++)
        {
            var text = (await AskAsync("How long do I have to return an item for a full refund?", temperature: 2.0, trial: trial)).Text;
            hits += text.Contains("30 days", StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.InRange(hits, 1, 39);
    }

    [Fact]
    public async Task GetResponse_OrderQuestion_CallsDeclaredToolWithOrderNumberFromMessage()
    {
        var response = await AskAsync("Hi, where is my order nw-48213? It's late.");

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("lookup_order", call.Name);
        Assert.Equal("NW-48213", call.Arguments!["order_id"]);
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
    }

    [Fact]
    public async Task GetResponse_OrderQuestionWithoutNumber_AsksForItInsteadOfCalling()
    {
        var response = await AskAsync("Where is my order? I want to track my package.");

        Assert.Empty(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Contains("order number", response.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GetResponse_ToolResultPresent_AnswersFromItWithoutCallingAgain()
    {
        var client = Client();
        var (messages, options) = Prepare("Where is my order NW-48213?");
        var first = await client.GetResponseAsync(messages, options);
        var call = first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        messages.AddRange(first.Messages);
        messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, """{"status":"shipped","delivery_date":"2026-11-30"}""")]));

        var second = await client.GetResponseAsync(messages, options);

        Assert.Contains("shipped", second.Text, StringComparison.Ordinal);
        Assert.Contains("2026-11-30", second.Text, StringComparison.Ordinal);
        Assert.Empty(second.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
    }

    [Fact]
    public async Task GetResponse_PolicyLineMissing_DoesNotInventIt()
    {
        using var app = new SampleApp(p => p.Replace("- Price match: we match a lower price from a major retailer within 14 days of purchase.\n", "", StringComparison.Ordinal));
        var response = await AskAsync("Do you price match a lower price from a major retailer?", app: app);
        Assert.DoesNotContain("14 days", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_Usage_PlausibleTokensAndCost()
    {
        var response = await AskAsync("How long does standard shipping take?");

        var usage = response.Usage!;
        Assert.InRange(usage.OutputTokenCount!.Value, 5, 200);
        Assert.True(usage.InputTokenCount > usage.OutputTokenCount, "the system prompt and tool schemas make the input larger than a short answer");
        Assert.Equal(usage.InputTokenCount + usage.OutputTokenCount, usage.TotalTokenCount);
        var expected = (3.0m * usage.InputTokenCount!.Value + 15.0m * usage.OutputTokenCount.Value) / 1_000_000m; // sample prices: sim-support-1
        Assert.Equal(expected, response.AdditionalProperties![ModelResponseProperties.CostUsd]);
    }

    [Fact]
    public async Task GetStreamingResponse_SameAnswerAsNonStreaming_InChunksWithUsage()
    {
        var (messages, options) = Prepare("How long does standard shipping take?");
        var whole = await Client().GetResponseAsync(messages, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in Client().GetStreamingResponseAsync(messages, options))
        {
            updates.Add(u);
        }

        var streamed = updates.ToChatResponse();
        Assert.True(updates.Count > 5);
        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal(whole.Usage?.OutputTokenCount, streamed.Usage?.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Stop, streamed.FinishReason);
    }

    [Fact]
    public async Task GetResponse_MaxTokensSmall_TruncatesWithLengthFinish()
    {
        var (messages, options) = Prepare("How long does standard shipping take?");
        options.MaxOutputTokens = 5;
        var response = await Client().GetResponseAsync(messages, options);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(5, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task GetResponse_ErrorRate_FailsASeededShareOfCallsWith500()
    {
        var client = Client(("faults", new JsonObject { ["error_rate"] = 0.3 }));
        var (messages, options) = Prepare("How long does standard shipping take?");
        var failures = 0;
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await client.GetResponseAsync(messages, options);
            }
            catch (ProviderException ex) when (ex.StatusCode == 500 && ex.Provider == "sim")
            {
                failures++;
            }
        }

        Assert.InRange(failures, 40, 80); // 30% of 200 = 60, seeded
    }

    [Fact]
    public async Task GetResponse_TimeoutRate1_FailsWithTimeout()
    {
        using var factory = new ModelClientFactory(TimeProvider.System, PriceTable.For(_app.Manifest));
        var client = factory.Create(_app.Model(("faults", new JsonObject { ["timeout_rate"] = 1 })), new ProviderSettings { Timeout = TimeSpan.FromMilliseconds(200) }, new ModelClientOptions());
        var (messages, options) = Prepare("How long does standard shipping take?");

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync(messages, options));
        Assert.Equal(ProviderFailure.Timeout, ex.Failure);
    }

    [Fact]
    public async Task GetResponse_OffPolicyRate1_AnswersOffPolicy()
    {
        var client = Client(("faults", new JsonObject { ["off_policy_rate"] = 1 }));
        var (messages, options) = Prepare("How long does standard shipping take?");
        for (var i = 0; i < 5; i++)
        {
            var text = (await client.GetResponseAsync(messages, options)).Text;
            Assert.DoesNotContain("3 to 5 business days", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetResponse_DefaultLatency_TakesTimeOnTheClock()
    {
        var time = new FakeTimeProvider();
        using var factory = new ModelClientFactory(time, PriceTable.For(_app.Manifest));
        var client = factory.Create(_app.Model(("latency_scale", 1), ("faults", new JsonObject { ["slow_first_token_ms"] = 2000 })), new ProviderSettings(), new ModelClientOptions());
        var (messages, options) = Prepare("How long does standard shipping take?");

        var task = client.GetResponseAsync(messages, options);
        time.Advance(TimeSpan.FromMilliseconds(1999));
        await Task.Delay(50);
        Assert.False(task.IsCompleted, "the slow first token (2 s) should hold the answer back");
        time.Advance(TimeSpan.FromSeconds(30));
        var response = await task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEmpty(response.Text);
    }

    [Theory]
    [InlineData("latency", "release.model.options.latency: unknown sim option")]
    [InlineData("faults.error_rate=1.5", "release.model.options.faults.error_rate: expected a number from 0 to 1, found 1.5")]
    [InlineData("faults.eror_rate=0.1", "release.model.options.faults.eror_rate: unknown fault")]
    [InlineData("latency_scale=fast", "release.model.options.latency_scale: expected a number, found \"fast\"")]
    public void Create_InvalidSimOptions_BadInputNamingTheOption(string option, string expected)
    {
        JsonNode? value;
        string key;
        if (option.StartsWith("faults.", StringComparison.Ordinal))
        {
            var (name, v) = (option[7..].Split('=')[0], double.Parse(option.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture));
            key = "faults";
            value = new JsonObject { [name] = v };
        }
        else if (option.Contains('=', StringComparison.Ordinal))
        {
            key = option.Split('=')[0];
            value = JsonValue.Create(option.Split('=')[1]);
        }
        else
        {
            key = option;
            value = 1;
        }

        using var factory = new ModelClientFactory(TimeProvider.System, new PriceTable());
        var ex = Assert.Throws<BadInputException>(() => factory.Create(_app.Model((key, value)), new ProviderSettings(), new ModelClientOptions()));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    private IChatClient Client(params (string Key, JsonNode? Value)[] options)
    {
        var factory = new ModelClientFactory(TimeProvider.System, PriceTable.For(_app.Manifest));
        return factory.Create(_app.Model(options), new ProviderSettings(), new ModelClientOptions());
    }

    private (List<ChatMessage> Messages, ChatOptions Options) Prepare(string question, SampleApp? app = null, double? temperature = null)
    {
        app ??= _app;
        var (messages, options) = ReleaseConversation.Prepare(app.Snapshot, new Dictionary<string, string> { ["customer_tier"] = "gold" }, [new ChatMessage(ChatRole.User, question)]);
        if (temperature is { } t)
        {
            options.Temperature = (float)t;
        }

        return (messages, options);
    }

    private async Task<ChatResponse> AskAsync(string question, double? temperature = null, int trial = 0, SampleApp? app = null)
    {
        app ??= _app;
        using var factory = new ModelClientFactory(TimeProvider.System, PriceTable.For(app.Manifest));
        var client = factory.Create(app.Model(), new ProviderSettings(), new ModelClientOptions { TrialIndex = trial });
        var (messages, options) = Prepare(question, app, temperature);
        return await client.GetResponseAsync(messages, options);
    }

    private async Task<List<string>> AnswersAsync(long seed, double temperature)
    {
        using var factory = new ModelClientFactory(TimeProvider.System, PriceTable.For(_app.Manifest));
        var client = factory.Create(_app.Model(("seed", seed)), new ProviderSettings(), new ModelClientOptions());
        var answers = new List<string>();
        foreach (var q in Questions)
        {
            var (messages, options) = Prepare(q, temperature: temperature);
            answers.Add((await client.GetResponseAsync(messages, options)).Text);
        }

        return answers;
    }
}
