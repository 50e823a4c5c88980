using System.Text.Json;
using Glidepath.Cli.Tests.Environments;

namespace Glidepath.Cli.Tests.Hardening;

/// <summary>
/// From an outside trial: "traces list --limit 0" (or -5) listed one trace with exit 0, where "monitor --limit 0" is
/// exit 2. A count, a rate or a revision out of range is said (exit 2, naming the value and what was expected), never
/// clamped or dropped.
/// </summary>
public sealed class CountOptionTests
{
    [Theory]
    [InlineData(new[] { "traces", "list", "--env", "staging", "--limit", "0" }, "--limit 0: expected how many traces to list, at least 1")]
    [InlineData(new[] { "traces", "list", "--env", "staging", "--limit", "-5" }, "--limit -5: expected how many traces to list, at least 1")]
    [InlineData(new[] { "rollout", "plan", "--env", "production", "--min-requests", "0" }, "--min-requests 0: expected how many requests each arm needs per step, at least 1")]
    [InlineData(new[] { "rollout", "plan", "--env", "production", "--min-requests", "-5" }, "--min-requests -5: expected how many requests each arm needs per step, at least 1")]
    [InlineData(new[] { "rollout", "plan", "--env", "production", "--rps", "-5" }, "--rps -5: expected the requests per second the environment serves, above zero")]
    [InlineData(new[] { "rollout", "plan", "--env", "production", "--rps", "0" }, "--rps 0: expected the requests per second the environment serves, above zero")]
    [InlineData(new[] { "rollback", "--env", "staging", "--expect-revision", "-5" }, "expected revision -5 is not a revision: they count up from 0")]
    public async Task Run_CountBelowItsRange_Exit2NamingTheValueAndWhatWasExpected(string[] args, string error)
    {
        await using var app = await EnvApp.CreateAsync(2);
        await app.OkAsync("deploy", "v1", "--env", "staging");
        await app.OkAsync("deploy", "v2", "--env", "staging");

        var (code, stdout, stderr) = await app.RunAsync([.. args, "--format", "json"]);

        Assert.True(code == 2, $"exit {code}: {stdout}{stderr}");
        using var doc = JsonDocument.Parse(stdout);
        Assert.StartsWith(error, doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, doc.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Equal("v2", await app.StableAsync("staging"));
    }
}
