using Glidepath.Files;
using Glidepath.Manifests;
using Glidepath.Releases;

namespace Glidepath.Tests.Releases;

public sealed class ReleaseDiffTests
{
    private static ReleaseSnapshot Snap(TempDir dir) =>
        ReleaseSnapshot.FromCanonicalJson(ReleaseBuilder.Build(ManifestParser.Load(dir.File("glidepath.yaml")).Release, new WorkingTreeFileSource(dir.Path)).CanonicalJson);

    [Fact]
    public void Compute_ParameterToolPromptChanges_ReportedByName()
    {
        using var dir = TempDir.WithSample();
        var before = Snap(dir);
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml")
            .Replace("temperature: 0.2", "temperature: 0.7", StringComparison.Ordinal)
            .Replace("tools/issue_refund.json, ", "", StringComparison.Ordinal));
        dir.Write("prompts/system.md", dir.Read("prompts/system.md").Replace("within 30 days", "within 45 days", StringComparison.Ordinal));
        dir.Write("tools/escalate.json", dir.Read("tools/escalate.json").Replace("\"urgent\"]", "\"urgent\", \"low\"]", StringComparison.Ordinal));

        var changes = ReleaseDiff.Compute(before, Snap(dir));

        Assert.Contains(changes, c => c is { Kind: "parameter", Name: "temperature", Before: "0.2", After: "0.7" });
        Assert.Contains(changes, c => c is { Kind: "tool_removed", Name: "issue_refund" });
        Assert.Contains(changes, c => c.Kind == "tool_changed" && c.Name == "escalate" && System.Text.RegularExpressions.Regex.IsMatch(c.Diff!, "\n\\+ +\"low\"\n"));
        var prompt = Assert.Single(changes, c => c.Kind == "prompt");
        Assert.Contains("+- Refund window: items can be returned for a full refund within 45 days", prompt.Diff, StringComparison.Ordinal);
        Assert.Contains("-- Refund window: items can be returned for a full refund within 30 days", prompt.Diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_SameContent_NoChanges()
    {
        using var dir = TempDir.WithSample();

        Assert.Empty(ReleaseDiff.Compute(Snap(dir), Snap(dir)));
    }
}
