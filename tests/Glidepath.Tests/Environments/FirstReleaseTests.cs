using Glidepath.Environments;
using Glidepath.Manifests;
using Glidepath.Testing;

namespace Glidepath.Tests.Environments;

public sealed class FirstReleaseTests
{
    [Fact]
    public void Commands_ThreeEnvironmentPath_DeploysTheFirstThenPromotesUpInOrder()
    {
        var manifest = Chain();

        var commands = FirstRelease.Commands(manifest, manifest.FindEnvironment("production")!, "v2");

        Assert.Equal(["glidepath deploy v2 --env dev", "glidepath promote v2 --env staging", "glidepath promote v2 --env production"], commands);
    }

    [Fact]
    public void Commands_ReleaseAlreadyStableInTheMiddle_StartsAfterIt()
    {
        var manifest = Chain();

        var commands = FirstRelease.Commands(manifest, manifest.FindEnvironment("production")!, "v2", env => env == "staging");

        Assert.Equal(["glidepath promote v2 --env production"], commands);
    }

    [Fact]
    public void Commands_EnvironmentWithoutRequires_Deploy()
    {
        var manifest = Chain();

        Assert.Equal(["glidepath deploy v2 --env dev"], FirstRelease.Commands(manifest, manifest.FindEnvironment("dev")!, "v2"));
    }

    private static Manifest Chain()
    {
        using var dir = TempDir.WithSample();
        var yaml = File.ReadAllText(dir.File("glidepath.yaml"));
        yaml = yaml.Replace("environments:\n  staging:\n", "environments:\n  dev:\n    vars: { customer_tier: standard }\n  staging:\n    requires: [dev]\n    owner: support-ai-oncall\n", StringComparison.Ordinal);
        File.WriteAllText(dir.File("glidepath.yaml"), yaml);
        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"));
        Assert.Equal(["dev"], manifest.FindEnvironment("staging")!.Requires);
        return manifest;
    }
}
