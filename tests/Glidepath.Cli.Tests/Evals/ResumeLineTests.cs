using Glidepath.Cli.Commands;
using Glidepath.Evals.Runs;

namespace Glidepath.Cli.Tests.Evals;

public sealed class ResumeLineTests
{
    private static readonly EvalRun Run = new()
    {
        Id = "20261205-065844-d72f", App = "a", Kind = EvalRunKind.Eval, ReleaseId = "r", DatasetPath = "evals/cases.jsonl", DatasetSha256 = "s",
        Trials = 1, CaseCount = 1, ScorerVersion = "v", CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void For_NoCacheRunWithEnvAndVars_RepeatsThemQuotedForAPosixShell()
    {
        var line = new ResumeLine("glidepath gate", "production", ["customer_tier=gold", "note=it's $HOME `x`", "empty="], "../app dir/glidepath.yaml", ".glidepath/glidepath.db");

        Assert.Equal(
            "glidepath gate --resume 20261205-065844-d72f --no-cache --env production --var customer_tier=gold --var 'note=it'\\''s $HOME `x`' --var empty= --manifest '../app dir/glidepath.yaml' --store .glidepath/glidepath.db",
            line.For(Run with { UseCache = false }));
    }

    [Fact]
    public void For_CachedRunWithNothingElseGiven_IsTheCommandAndTheId() =>
        Assert.Equal("glidepath eval run --resume 20261205-065844-d72f", new ResumeLine("glidepath eval run", null, [], null, null).For(Run));

    // A store location may carry a password (postgres://user:password@host/db): never printed.
    [Fact]
    public void For_StoreWithAPassword_LeavesItOut()
    {
        var line = new ResumeLine("glidepath eval run", null, [], null, "postgres://gp:s3cret@db.internal/glidepath");

        Assert.True(line.StoreLeftOut);
        Assert.Equal("glidepath eval run --resume 20261205-065844-d72f", line.For(Run));
    }

    // Review: a connection string can carry a password in forms no redaction knows (SslPassword=, ?sslpassword=): only a
    // file path is printed.
    [Theory]
    [InlineData("postgres://gp@db.internal/glidepath?sslpassword=k3y", true)]
    [InlineData("Host=db;Username=gp;SslPassword=k3y", true)]
    [InlineData("postgres://gp@db.internal/glidepath", true)]
    [InlineData("/srv/app/.glidepath/glidepath.db", false)]
    [InlineData(".glidepath/glidepath.db", false)]
    public void For_StoreNotAFilePath_LeftOut(string store, bool leftOut)
    {
        var line = new ResumeLine("glidepath eval run", null, [], null, store);

        Assert.Equal(leftOut, line.StoreLeftOut);
        Assert.Equal(!leftOut, line.For(Run).Contains("--store", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("plain-word_1.2/x:y,z@w%+=", "plain-word_1.2/x:y,z@w%+=")]
    [InlineData("", "''")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("~/x", "'~/x'")]
    [InlineData("line\nbreak", "'line\nbreak'")]
    public void Quote_Word_IsReadBackAsTheSameWord(string word, string quoted) =>
        Assert.Equal(quoted, PosixShell.Quote(word));
}
