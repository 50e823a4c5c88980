using Glidepath.Cli.Tests.Evals;

namespace Glidepath.Cli.Tests.Hardening;

/// <summary>Issue 13: a release its provider cannot serve, or one over the size limit, is refused before it is stored.</summary>
public sealed class ReleaseAdmissionCliTests
{
    [Fact]
    public async Task ReleaseCreate_InvalidSimOptions_Exit2AndNothingStored()
    {
        using var app = EvalApp.Create();
        app.EditManifest(y => y.Replace("options: { latency_scale: 0 }", "options: { faults: lots, latency_scale: -5 }", StringComparison.Ordinal));

        var (code, _, stderr) = await app.RunAsync("release", "create");

        Assert.Equal(2, code);
        Assert.Contains("release.model.options.", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(app.StorePath));
    }

    [Fact]
    public async Task Deploy_WorkingWithInvalidSimOptions_Exit2AndNoReleaseRegistered()
    {
        using var app = EvalApp.Create();
        await app.CreateReleaseAsync();
        app.EditManifest(y => y.Replace("options: { latency_scale: 0 }", "options: { latency_scale: -5 }", StringComparison.Ordinal));

        var (code, _, stderr) = await app.RunAsync("deploy", "working", "--env", "staging");
        var (_, list, _) = await app.RunAsync("release", "list", "--format", "json");

        Assert.Equal(2, code);
        Assert.Contains("release.model.options.latency_scale: expected a number from 0 to 100, found -5", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\"v2\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReleaseCreate_OverSizeLimit_Exit2AndNothingStored()
    {
        using var app = EvalApp.Create();
        var big = new byte[(Releases.ReleaseBuilder.MaxBytes / 2) + 1];
        await File.WriteAllBytesAsync(Path.Combine(app.Dir, "agent", "a.bin"), big);
        await File.WriteAllBytesAsync(Path.Combine(app.Dir, "agent", "b.bin"), big);

        var (code, _, stderr) = await app.RunAsync("release", "create");

        Assert.Equal(2, code);
        Assert.Contains("the release is larger than the 16 MiB limit", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(app.StorePath));
    }
}
