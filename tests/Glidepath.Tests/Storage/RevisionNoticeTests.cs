using Glidepath.Manifests;
using Glidepath.Storage;
using Glidepath.Tests.Manifests;

namespace Glidepath.Tests.Storage;

/// <summary>
/// A probe's notice reaches every host on the store. It must concern none of them (each would re-read its environment
/// on every other host's probe) and read as no resync, including to a host built before probes, which sees only the
/// app and environment it names.
/// </summary>
public sealed class RevisionNoticeTests
{
    [Fact]
    public void Probe_ConcernsNoEnvironmentAndIsNoResync_CarriesItsToken()
    {
        var probe = RevisionNotice.Probe("3f9c2a1b");

        Assert.False(probe.Concerns("support-agent", "staging"));
        Assert.False(probe.Concerns(RevisionNotice.ProbeApp, "3f9c2a1b")); // no app can have that name anyway
        Assert.False(probe.IsResync);
        Assert.Equal("3f9c2a1b", probe.ProbeToken);
    }

    [Fact]
    public void ProbeApp_IsNoNameAManifestAccepts()
    {
        var sample = File.ReadAllText(Path.Combine(TempDir.RepoRoot(), "samples", "support-agent", ManifestParser.FileName));
        Assert.True(ManifestPropertyTests.Run(sample).Parsed); // the sample parses: only the name below can fail it

        var probeNamed = ManifestPropertyTests.Run(sample.Replace("app: support-agent", $"app: \"{RevisionNotice.ProbeApp}\"", StringComparison.Ordinal));

        Assert.Equal((false, (Exception?)null), probeNamed);
    }

    [Fact]
    public void ChangeOrResync_HasNoProbeToken()
    {
        Assert.Null(new RevisionNotice("support-agent", "staging").ProbeToken);
        Assert.Null(RevisionNotice.Resync.ProbeToken);
    }
}
