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
