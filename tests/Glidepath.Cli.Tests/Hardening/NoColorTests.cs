using Glidepath.Cli.Tests.Environments;

namespace Glidepath.Cli.Tests.Hardening;

/// <summary>
/// From an outside trial: with NO_COLOR on a terminal, 'release diff' still wrote bold and reset escapes (Spectre drops
/// colours for NO_COLOR, not decorations). NO_COLOR (any non-empty value) now gives the plain text a pipe gets.
/// </summary>
public sealed class NoColorTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void CliOutput_OnATerminal_StyledUnlessNoColor(bool noColor, bool styled)
    {
        var env = new CliEnvironment(TextWriter.Null, TextWriter.Null, IsTerminal: true) { NoColor = noColor };

        Assert.Equal(styled, new CliOutput(env, json: false).IsRich);
    }

    [Fact]
    public async Task ReleaseDiff_NoColorOnATerminal_NoEscapeSequences()
    {
        await using var app = await EnvApp.CreateAsync(2);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var env = new CliEnvironment(stdout, stderr, IsTerminal: true) { NoColor = true };

        var code = await CliApp.RunAsync(["release", "diff", "v1", "v2", "--manifest", app.Manifest, "--store", app.StorePath], env, CancellationToken.None);

        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("+++ ", stdout.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stdout.ToString());
        Assert.DoesNotContain('\u001b', stderr.ToString());
    }
}
