using Glidepath.Errors;
using Glidepath.Evals.Runs;
using Glidepath.Manifests;

namespace Glidepath.Tests.Evals.Runs;

public sealed class EvalSetupTests
{
    [Fact]
    public void For_NoEvalSection_IsBadInputNamingTheManifest()
    {
        using var dir = TempDir.WithSample();
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml")) with { Eval = null };

        var ex = Assert.Throws<BadInputException>(() => EvalSetup.For(manifest, null, [], useCache: true));

        Assert.StartsWith($"{manifest.FilePath}: no eval: section", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_EnvironmentAndOverrides_OverridesWinOverTheEnvironmentsVars()
    {
        using var dir = TempDir.WithSample();
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));

        var setup = EvalSetup.For(manifest, "production", ["customer_tier=gold"], useCache: false);

        Assert.Equal("gold", setup.Vars["customer_tier"]);
        Assert.Equal("https://kb.northwind.example", setup.Vars["kb_url"]);
        Assert.Equal("production", setup.Environment);
        Assert.False(setup.UseCache);
    }
}
