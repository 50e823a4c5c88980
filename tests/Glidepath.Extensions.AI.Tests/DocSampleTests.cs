namespace Glidepath.Extensions.AI.Tests;

/// <summary>
/// The readiness sample in docs/sdk.md is code that compiles: it is the sample app's own (samples/support-agent-app,
/// built with the solution and by the integration tests), so the page cannot drift from an API that changed. This
/// project has no ASP.NET Core to compile it itself.
/// </summary>
public sealed class DocSampleTests
{
    [Fact]
    public async Task ControlPlaneReadinessSample_IsTheSampleAppsCode()
    {
        var doc = await File.ReadAllTextAsync(Path.Combine(TempDir.RepoRoot(), "docs", "sdk.md"));
        var program = await File.ReadAllTextAsync(Path.Combine(TempDir.RepoRoot(), "samples", "support-agent-app", "Program.cs"));

        var sample = CodeBlockWith(doc, "app.MapGet(\"/readyz/control-plane\"");

        Assert.Contains("glidepath.Changes", sample, StringComparison.Ordinal);
        Assert.Contains("glidepath.NewerSchema", sample, StringComparison.Ordinal);
        Assert.Contains(sample, program.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    /// <summary>The body of the first fenced C# block of <paramref name="markdown"/> that contains <paramref name="text"/>.</summary>
    private static string CodeBlockWith(string markdown, string text)
    {
        var blocks = markdown.ReplaceLineEndings("\n").Split("```csharp\n")[1..].Select(b => b[..b.IndexOf("```", StringComparison.Ordinal)]);
        return Assert.Single(blocks, b => b.Contains(text, StringComparison.Ordinal));
    }
}
