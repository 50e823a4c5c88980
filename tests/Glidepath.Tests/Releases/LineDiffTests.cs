using Glidepath.Releases;

namespace Glidepath.Tests.Releases;

public sealed class LineDiffTests
{
    [Fact]
    public void Unified_OneLineChanged_ShowsMinusPlusWithContext()
    {
        var a = "one\ntwo\nthree\nfour\nfive\nsix\nseven\n";
        var b = "one\ntwo\nthree\nFOUR\nfive\nsix\nseven\n";

        var diff = LineDiff.Unified(a, b, "a/x", "b/x");

        Assert.Equal("--- a/x\n+++ b/x\n@@ -1,7 +1,7 @@\n one\n two\n three\n-four\n+FOUR\n five\n six\n seven\n", diff);
    }

    [Fact]
    public void Unified_Identical_Empty() => Assert.Equal("", LineDiff.Unified("a\nb\n", "a\nb\n", "a", "b"));

    [Fact]
    public void Unified_FarApartChanges_TwoHunks()
    {
        var lines = Enumerable.Range(1, 30).Select(i => $"l{i}").ToList();
        var a = string.Join('\n', lines);
        lines[1] = "changed2";
        lines[25] = "changed26";

        var diff = LineDiff.Unified(a, string.Join('\n', lines), "a", "b");

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("-l26\n+changed26", diff, StringComparison.Ordinal);
    }
}
