namespace Glidepath.Cli.Tests.Runtime;

/// <summary>Which command lines re-execute with tiered PGO on: the long-running commands, wherever the root options put them.</summary>
public sealed class PgoRestartTests
{
    [Theory]
    [InlineData("serve")]
    [InlineData("serve --env staging --urls http://127.0.0.1:0")]
    [InlineData("--manifest glidepath.yaml --store .glidepath/g.db serve --env staging")]
    [InlineData("--format json controller --env production")]
    [InlineData("--store serve dashboard --urls http://127.0.0.1:0")]
    [InlineData("dashboard")]
    public void LongRunningCommand_Restarts(string line) => Assert.True(PgoRestart.IsLongRunning(line.Split(' ')));

    [Theory]
    [InlineData("")]
    [InlineData("eval run --dataset evals/support.jsonl")]
    [InlineData("gate v2 --baseline v1")]
    [InlineData("--store serve")]
    [InlineData("--manifest controller status")]
    [InlineData("release create -m serve")]
    [InlineData("serve --help")]
    [InlineData("controller -h")]
    [InlineData("--version")]
    [InlineData("shadow start v2 --env production")]
    public void ShortCommand_RunsInThisProcess(string line) =>
        Assert.False(PgoRestart.IsLongRunning(line.Length == 0 ? [] : line.Split(' ')));
}
