using Glidepath.Evals.Runs;
using Glidepath.Manifests;

namespace Glidepath.Tests.Evals.Runs;

public sealed class EvalConcurrencyTests
{
    [Fact]
    public void For_NoProviderLimitInManifest_HonoursTheRequestedConcurrency()
    {
        var c = EvalConcurrency.For(64, [("openai", new ProviderSettings())]);

        Assert.Equal(64, c.Effective);
        Assert.Null(c.LimitedBy);
        Assert.Contains("concurrency 64", c.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void For_LowerProviderLimitInManifest_CapsAndNamesIt()
    {
        var c = EvalConcurrency.For(64, [("sim", new ProviderSettings { MaxConcurrency = 32 }), ("openai", new ProviderSettings { MaxConcurrency = 16 })]);

        Assert.Equal(16, c.Effective);
        Assert.Equal("concurrency 16: providers.openai.max_concurrency: 16 in glidepath.yaml caps the 64 asked for", c.Describe());
    }

    [Fact]
    public void For_HigherProviderLimitInManifest_DoesNotCap()
    {
        var c = EvalConcurrency.For(8, [("openai", new ProviderSettings { MaxConcurrency = 16 })]);

        Assert.Equal(8, c.Effective);
        Assert.Null(c.LimitedBy);
    }
}
