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

    // Trial author D6: a warning said "every case passes", then the dataset check refused every case ("its expect has
    // none of: none"). One error, at eval.scorers, before the store is opened.
    [Theory]
    [InlineData("  scorers: []\n", "glidepath.yaml:25:12")]
    [InlineData("", "glidepath.yaml:23:3")]
    public void For_NoScorers_IsOneErrorAtEvalScorers(string scorers, string at)
    {
        using var dir = TempDir.WithSample();
        var yaml = dir.Read("glidepath.yaml");
        var start = yaml.IndexOf("  scorers:\n", StringComparison.Ordinal);
        dir.Write("glidepath.yaml", yaml[..start] + scorers + yaml[yaml.IndexOf("  gate:", start, StringComparison.Ordinal)..]);
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));

        var ex = Assert.Throws<BadInputException>(() => EvalSetup.For(manifest, null, [], useCache: true));

        Assert.Equal($"{at}: eval.scorers is empty, so no case could be checked; expected at least one scorer, e.g. scorers: [ {{ type: contains }} ] (docs/eval.md lists them)", ex.Message);
    }

    [Fact]
    public void For_EnvironmentAndOverrides_OverridesWinOverTheEnvironmentsVars()
    {
        using var dir = TempDir.WithSample();
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));

        var setup = EvalSetup.For(manifest, "production", ["customer_tier=gold"], useCache: false);

        Assert.Equal("gold", setup.Vars["customer_tier"]);
        Assert.Equal(["customer_tier"], setup.Vars.Keys);
        Assert.Equal("production", setup.Environment);
        Assert.False(setup.UseCache);
    }
}
