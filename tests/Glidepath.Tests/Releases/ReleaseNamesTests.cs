using Glidepath.Errors;
using Glidepath.Releases;

namespace Glidepath.Tests.Releases;

public sealed class ReleaseNamesTests
{
    [Fact]
    public void UndefinedTool_OneRelease_NamesItsToolsAndTheClosest()
    {
        var names = ReleaseNames.Of(TestReleases.Sample());

        Assert.Null(names.UndefinedTool("lookup_order"));
        Assert.Equal("which the release does not define (its tools: lookup_order, issue_refund, escalate); did you mean 'lookup_order'?",
            names.UndefinedTool("lookup_ordr"));
        Assert.Equal("which the release does not define (its tools: lookup_order, issue_refund, escalate)", names.UndefinedTool("send_email"));
    }

    // A gate: a candidate that renamed a tool (its dataset updated) must not be refused because the baseline has the
    // old name, nor the other way round; only a name neither defines is a typo.
    [Fact]
    public void UndefinedTool_GateReleasesDiffer_EitherSidesToolCounts()
    {
        var names = ReleaseNames.Of(TestReleases.WithLookupNamed("find_order"), TestReleases.Sample());

        Assert.Null(names.UndefinedTool("find_order"));
        Assert.Null(names.UndefinedTool("lookup_order"));
        Assert.Equal("which neither the candidate nor the baseline defines (the candidate's tools: find_order, issue_refund, escalate; "
            + "the baseline's: lookup_order, issue_refund, escalate); did you mean 'find_order'?", names.UndefinedTool("find_ordr"));
    }

    // Newcomer trial L4: an expected argument the tool does not declare never appears in a call.
    [Fact]
    public void UndeclaredArgument_OneRelease_NamesTheToolsArgumentsAndTheClosest()
    {
        var names = ReleaseNames.Of(TestReleases.Sample());

        Assert.Null(names.UndeclaredArgument("issue_refund", "reason"));
        Assert.Null(names.UndeclaredArgument("lookup_ordr", "order_no")); // the tool itself is UndefinedTool's problem
        Assert.Equal("which the release's issue_refund does not declare (its arguments: order_id, amount, reason); did you mean 'order_id'?",
            names.UndeclaredArgument("issue_refund", "order_no"));
        Assert.Equal("which the release's lookup_order does not declare (its arguments: order_id)", names.UndeclaredArgument("lookup_order", "reason"));
    }

    [Fact]
    public void UndeclaredArgument_GateReleasesDiffer_EitherSidesArgumentCounts()
    {
        var names = ReleaseNames.Of(WithLookupArgument("order_number"), TestReleases.Sample());

        Assert.Null(names.UndeclaredArgument("lookup_order", "order_number"));
        Assert.Null(names.UndeclaredArgument("lookup_order", "order_id"));
        Assert.Equal("which neither the candidate's nor the baseline's lookup_order declares (its arguments: order_number, order_id); did you mean 'order_id'?",
            names.UndeclaredArgument("lookup_order", "order_ib"));
    }

    [Fact]
    public void UndeclaredArgument_GateOnlyOneReleaseHasTheTool_NamesThatRelease()
    {
        var renamed = TestReleases.Sample(dir => dir.Write("tools/lookup_order.json",
            dir.Read("tools/lookup_order.json").Replace("\"lookup_order\"", "\"find_order\"", StringComparison.Ordinal)));

        Assert.Equal("which the candidate's lookup_order does not declare, and the baseline has no lookup_order (its arguments: order_id); did you mean 'order_id'?",
            ReleaseNames.Of(TestReleases.Sample(), renamed).UndeclaredArgument("lookup_order", "order_ib"));
        Assert.Equal("which the baseline's lookup_order does not declare, and the candidate has no lookup_order (its arguments: order_id); did you mean 'order_id'?",
            ReleaseNames.Of(renamed, TestReleases.Sample()).UndeclaredArgument("lookup_order", "order_ib"));
    }

    // JSON schema allows other keys unless additionalProperties is false; a tool that says so explicitly (true or a
    // schema), or lists no properties at all (and does not close them), may be called with any key: no expected key is refused.
    [Theory]
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}, \"additionalProperties\": true", true)]
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}, \"additionalProperties\": {\"type\": \"string\"}", true)]
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}", false)]
    [InlineData("\"additionalProperties\": false", false)]
    [InlineData("\"required\": []", true)]
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}, \"additionalProperties\": false", false)]
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}, \"unevaluatedProperties\": false", false)]
    // Review of L4 (M1): keys admitted by other keywords than properties are not read, so such a schema is open.
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}, \"oneOf\": [{\"properties\": {\"tracking\": {}}}]", true)]
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}, \"allOf\": [{\"properties\": {\"tracking\": {}}}]", true)]
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}, \"patternProperties\": {\"^track\": {}}", true)]
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}, \"if\": {\"required\": [\"order_id\"]}, \"then\": {\"properties\": {\"tracking\": {}}}", true)]
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}, \"dependentSchemas\": {\"order_id\": {\"properties\": {\"tracking\": {}}}}", true)]
    [InlineData("\"properties\": {\"order_id\": {\"type\": \"string\"}}, \"unevaluatedProperties\": true", true)]
    public void UndeclaredArgument_SchemaLeavesArgumentsOpen_AnyKeyAccepted(string schema, bool open)
    {
        var release = TestReleases.Sample(dir => dir.Write("tools/lookup_order.json",
            "{\"name\": \"lookup_order\", \"description\": \"d\", \"input_schema\": {\"type\": \"object\", " + schema + "}}"));

        Assert.Equal(open, ReleaseNames.Of(release).UndeclaredArgument("lookup_order", "tracking") is null);
    }

    private static Glidepath.Releases.Release WithLookupArgument(string argument) => TestReleases.Sample(dir =>
        dir.Write("tools/lookup_order.json", dir.Read("tools/lookup_order.json").Replace("\"order_id\"", $"\"{argument}\"", StringComparison.Ordinal)));

    [Fact]
    public void UnusedVariable_NamesTheVariablesTheTemplateUses()
    {
        var release = TestReleases.Sample();

        Assert.Null(ReleaseNames.Of(release).UnusedVariable("customer_tier"));
        Assert.Equal("no template of the release uses it (it uses: customer_tier); did you mean 'customer_tier'?", ReleaseNames.Of(release).UnusedVariable("customertier"));
        Assert.Equal("no template of the candidate or the baseline uses it (both use: customer_tier)",
            ReleaseNames.Of(release, TestReleases.WithLookupNamed("find_order")).UnusedVariable("expected"));
    }

    [Fact]
    public void CheckVarOptions_NameNoTemplateUses_BadInputNamingEach()
    {
        var names = ReleaseNames.Of(TestReleases.Sample());

        names.CheckVarOptions(["customer_tier"]);
        var ex = Assert.Throws<BadInputException>(() => names.CheckVarOptions(["customer_tier", "memberlevel", "customer-tier"]));

        Assert.Equal("--var memberlevel: no template of the release uses it (it uses: customer_tier)\n"
            + "--var customer-tier: no template of the release uses it (it uses: customer_tier); did you mean 'customer_tier'?", ex.Message);
    }
}
