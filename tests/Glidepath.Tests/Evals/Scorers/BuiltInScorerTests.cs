using Glidepath.Evals.Scorers;
using Microsoft.Extensions.AI;
using static Glidepath.Tests.Evals.Scorers.ScorerTestKit;

namespace Glidepath.Tests.Evals.Scorers;

public sealed class BuiltInScorerTests
{
    [Fact]
    public async Task Contains_NoValuesOption_ReadsExpectContainsAndScoresTheFractionFound()
    {
        var c = Case("""{"contains":["30 days","tags attached"]}""");
        var outcome = await ScoreAsync(Spec("contains"), "Within 30 days of delivery.", c);
        Assert.False(outcome.Passed);
        Assert.Equal(0.5, outcome.Score);
        Assert.Contains("tags attached", outcome.Reason, StringComparison.Ordinal);
        Assert.True((await ScoreAsync(Spec("contains"), "30 days, tags attached", c)).Passed);
    }

    [Fact]
    public async Task Contains_CaseWithoutExpectation_IsNotApplicable()
    {
        var outcome = await ScoreAsync(Spec("contains"), "anything", Case());
        Assert.False(outcome.Applicable);
        Assert.Equal(TrialStatus.Pass, CaseScore.Combine([outcome]).Status);
    }

    [Fact]
    public async Task Contains_IcontainsExpectation_IgnoresCase()
    {
        Assert.True((await ScoreAsync(Spec("contains"), "STORE CREDIT only", Case("""{"icontains":"store credit"}"""))).Passed);
        Assert.False((await ScoreAsync(Spec("contains"), "STORE CREDIT only", Case("""{"contains":"store credit"}"""))).Passed);
    }

    [Fact]
    public async Task NotContains_ValuesOption_IsReferenceFree()
    {
        var spec = Spec("not_contains", """{"values":["As an AI"]}""");
        Assert.False((await ScoreAsync(spec, "As an AI, I cannot", null)).Passed);
        Assert.True((await ScoreAsync(spec, "Sure, here you go", null)).Passed);
    }

    [Fact]
    public async Task Exact_TrimmedEquality_OptionallyIgnoringCase()
    {
        var c = Case("""{"exact":"Paris"}""");
        Assert.True((await ScoreAsync(Spec("exact"), "  Paris\n", c)).Passed);
        Assert.False((await ScoreAsync(Spec("exact"), "paris", c)).Passed);
        Assert.True((await ScoreAsync(Spec("exact", """{"ignore_case":true}"""), "paris", c)).Passed);
    }

    [Fact]
    public async Task Regex_PatternOptionOrExpectRegex_Matches()
    {
        Assert.True((await ScoreAsync(Spec("regex", """{"pattern":"\\d+ days"}"""), "within 30 days", null)).Passed);
        Assert.False((await ScoreAsync(Spec("regex"), "never", Case("""{"regex":"^\\d+$"}"""))).Passed);
        var bad = await ScoreAsync(Spec("regex"), "x", Case("""{"regex":"(unclosed"}"""));
        Assert.NotNull(bad.Error);
    }

    [Fact]
    public async Task JsonValid_StrictByDefault_EmbeddedWhenTheCaseSaysContains()
    {
        Assert.True((await ScoreAsync(Spec("json_valid"), "```json\n{\"a\":1}\n```", null)).Passed);
        Assert.False((await ScoreAsync(Spec("json_valid"), "Here: {\"a\":1}", null)).Passed);
        Assert.True((await ScoreAsync(Spec("json_valid"), "Here: {\"a\":1} done", Case("""{"json":"contains"}"""))).Passed);
        Assert.False((await ScoreAsync(Spec("json_valid"), "nope", Case("""{"json":false}"""))).Applicable);
    }

    [Fact]
    public async Task JsonSchema_SchemaFile_ValidatesTheAnswer()
    {
        var spec = Spec("json_schema", """{"schema":"schema.json"}""");
        Assert.True((await ScoreAsync(spec, """{"answer":"yes"}""", null)).Passed);
        var missing = await ScoreAsync(spec, """{"other":1}""", null);
        Assert.False(missing.Passed);
        Assert.False((await ScoreAsync(spec, "not json", null)).Passed);
    }

    // A key given twice: the schema was checked against one copy ({"answer": "yes", "answer": 5} passed "answer": string)
    // while a reader of the answer may take the other. Nested, the same (and no exception either way).
    [Theory]
    [InlineData("""{"answer":"yes","answer":5}""", "answer")]
    [InlineData("""{"answer":"yes","more":[{"k":1,"k":2}]}""", "k")]
    public async Task JsonSchema_KeyGivenTwice_FailsNamingTheKey(string answer, string key)
    {
        var outcome = await ScoreAsync(Spec("json_schema", """{"schema":"schema.json"}"""), answer, null);
        Assert.Null(outcome.Error);
        Assert.False(outcome.Passed);
        Assert.Equal($"gives the key \"{key}\" twice in one object, so which value holds is not known", outcome.Reason);
    }

    // A nested object of the model's arguments with a key twice threw ArgumentException when compared ("the scorer threw").
    [Fact]
    public async Task ToolCall_ArgumentsWithAKeyTwice_FailNamingTheKey()
    {
        var c = Case("""{"tool_call":{"name":"find_order","arguments":{"order":{"id":1}}}}""");
        using var doc = System.Text.Json.JsonDocument.Parse("""{"id":1,"id":2}""");
        var call = new FunctionCallContent("1", "find_order", new Dictionary<string, object?> { ["order"] = doc.RootElement.Clone() });

        var outcome = await ScoreAsync(Spec("tool_call"), "", c, calls: [call]);

        Assert.Null(outcome.Error);
        Assert.False(outcome.Passed);
        Assert.Equal("did not call as expected: find_order called with arguments that give \"id\" twice in one object (called find_order)", outcome.Reason);
        Assert.True((await ScoreAsync(Spec("tool_call"), "", Case("""{"tool_call":{"name":"find_order"}}"""), calls: [call])).Passed);
    }

    [Fact]
    public async Task ToolCall_ExpectedNameAndArgumentSubset_PassesOnlyWhenCalled()
    {
        var c = Case("""{"tool_call":{"name":"lookup_order","arguments":{"order_id":"NW-1"}}}""");
        var call = new FunctionCallContent("1", "lookup_order", new Dictionary<string, object?> { ["order_id"] = "NW-1", ["extra"] = 2 });
        Assert.True((await ScoreAsync(Spec("tool_call"), "", c, calls: [call])).Passed);
        var wrongArgs = new FunctionCallContent("1", "lookup_order", new Dictionary<string, object?> { ["order_id"] = "NW-2" });
        Assert.False((await ScoreAsync(Spec("tool_call"), "", c, calls: [wrongArgs])).Passed);
        var none = await ScoreAsync(Spec("tool_call"), "Let me check.", c);
        Assert.False(none.Passed);
        Assert.Contains("called no tool", none.Reason, StringComparison.Ordinal);
        Assert.True((await ScoreAsync(Spec("tool_call"), "ok", Case("""{"tool_call":false}"""))).Passed);
    }

    // Trial author D8: the reason read "did not call find_order as expected; called find_order", naming no argument.
    [Fact]
    public async Task ToolCall_WrongOrMissingArgument_ReasonNamesItWithExpectedAndActualValues()
    {
        var c = Case("""{"tool_call":{"name":"find_order","arguments":{"order_id":"LB-9999"}}}""");
        var wrong = new FunctionCallContent("1", "find_order", new Dictionary<string, object?> { ["order_id"] = "LB-5521" });
        var without = new FunctionCallContent("1", "find_order", new Dictionary<string, object?> { ["id"] = "LB-9999" });
        var long_ = new FunctionCallContent("1", "find_order", new Dictionary<string, object?> { ["order_id"] = new string('x', 100) });

        Assert.Equal("did not call as expected: find_order called with order_id \"LB-5521\", expected \"LB-9999\" (called find_order)",
            (await ScoreAsync(Spec("tool_call"), "", c, calls: [wrong])).Reason);
        Assert.Equal("did not call as expected: find_order called without order_id, expected \"LB-9999\" (called find_order)",
            (await ScoreAsync(Spec("tool_call"), "", c, calls: [without])).Reason);
        Assert.Equal($"did not call as expected: find_order called with order_id \"{new string('x', 39)}…, expected \"LB-9999\" (called find_order)",
            (await ScoreAsync(Spec("tool_call"), "", c, calls: [long_])).Reason);
    }

    // Trial author D8: two identical expected refunds passed on one call, each expected entry matching the same call.
    [Fact]
    public async Task ToolCall_ListOfExpectedCalls_EachNeedsACallOfItsOwn()
    {
        var c = Case("""{"tool_call":[{"name":"issue_refund"},{"name":"issue_refund","arguments":{"amount":5}}]}""");
        FunctionCallContent Refund(int amount) => new("1", "issue_refund", new Dictionary<string, object?> { ["amount"] = amount });

        var one = await ScoreAsync(Spec("tool_call"), "", c, calls: [Refund(5)]);
        Assert.False(one.Passed);
        Assert.Equal(0.5, one.Score);
        Assert.Equal("did not call as expected: issue_refund called 1 time(s), expected 2 (called issue_refund)", one.Reason);

        // The bare expectation must not take the one call the one with arguments fits: order of the calls does not matter.
        Assert.True((await ScoreAsync(Spec("tool_call"), "", c, calls: [Refund(5), Refund(7)])).Passed);
        Assert.True((await ScoreAsync(Spec("tool_call"), "", c, calls: [Refund(7), Refund(5)])).Passed);
        Assert.Equal("did not call as expected: issue_refund was not called (called no tool)", (await ScoreAsync(Spec("tool_call"), "", c)).Reason);
    }

    [Fact]
    public async Task Similarity_TokenF1AgainstReference()
    {
        Assert.Equal(1.0, SimilarityScorer.TokenF1("The cat sat", "the CAT sat!"), 9);
        Assert.Equal(0.0, SimilarityScorer.TokenF1("dog", "cat"), 9);
        Assert.Equal(2 * (2.0 / 3) * (2.0 / 4) / ((2.0 / 3) + (2.0 / 4)), SimilarityScorer.TokenF1("a b c", "a b d e"), 9);
        var outcome = await ScoreAsync(Spec("similarity", """{"threshold":0.9}"""), "a b c", Case("""{"reference":"a b d e"}"""));
        Assert.False(outcome.Passed);
    }

    // "token F1 0.10 (pass at 0.1)" was printed for a failure (F1 0.0952): the reason shows the side of the threshold.
    [Fact]
    public async Task ScorerReasons_ValueJustPastTheLimit_ShowEnoughDigitsToReadWhichSide()
    {
        var reference = string.Join(' ', Enumerable.Range(0, 20).Select(i => ((char)('a' + i)).ToString()));
        var similarity = await ScoreAsync(Spec("similarity", """{"threshold":0.1}"""), "a", Case($$"""{"reference":"{{reference}}"}"""));
        var latency = await ScoreAsync(Spec("max_latency_ms", """{"value":500}"""), "x", null, latencyMs: 500.4);
        var cost = await ScoreAsync(Spec("max_cost", """{"value":0.001}"""), "x", null, cost: 0.0010000004);
        var usual = await ScoreAsync(Spec("similarity", """{"threshold":0.5}"""), "a b c", Case("""{"reference":"a b d e"}"""));

        Assert.Equal((false, "token F1 0.095 (pass at 0.1)"), (similarity.Passed, similarity.Reason));
        Assert.Equal((false, "500.4 ms (limit 500 ms)"), (latency.Passed, latency.Reason));
        Assert.Equal((false, "$0.0010000004 (limit $0.001)"), (cost.Passed, cost.Reason));
        Assert.Equal((true, "token F1 0.57 (pass at 0.5)"), (usual.Passed, usual.Reason));
    }

    [Fact]
    public async Task MaxLatencyAndMaxCost_CompareWithTheMeasuredCall()
    {
        Assert.True((await ScoreAsync(Spec("max_latency_ms", """{"value":500}"""), "x", null, latencyMs: 499)).Passed);
        Assert.False((await ScoreAsync(Spec("max_latency_ms", """{"value":500}"""), "x", null, latencyMs: 501)).Passed);
        Assert.False((await ScoreAsync(Spec("max_cost", """{"value":0.001}"""), "x", null, cost: 0.002)).Passed);
        var unpriced = await ScoreAsync(Spec("max_cost", """{"value":0.001}"""), "x", null, cost: null);
        Assert.Contains("prices", unpriced.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlineScoring_NoCase_ReferenceScorersAreNotApplicable()
    {
        using var set = Set(Spec("contains"), Spec("not_contains", """{"values":["As an AI"]}"""), Spec("max_latency_ms", """{"value":1000}"""));
        var outcomes = await OnlineScoring.ScoreAsync(set, [new ChatMessage(ChatRole.User, "hi")], "As an AI model I can't", 200, null, [], CancellationToken.None);
        Assert.False(outcomes.Single(o => o.Scorer == "contains").Applicable);
        Assert.False(outcomes.Single(o => o.Scorer == "not_contains").Passed);
        Assert.True(outcomes.Single(o => o.Scorer == "max_latency_ms").Passed);
        Assert.Equal(0, OnlineScoring.PassRate(outcomes));
    }

    [Fact]
    public void ScorerSet_SameTypeTwice_NamesTheSecondWithASuffixAndVersionChangesWithOptions()
    {
        using var a = Set(Spec("contains"), Spec("contains", """{"values":["x"]}"""));
        using var b = Set(Spec("contains"), Spec("contains", """{"values":["y"]}"""));
        Assert.Equal(["contains", "contains#2"], a.Entries.Select(e => e.Name));
        Assert.NotEqual(a.Version, b.Version);
    }
}
