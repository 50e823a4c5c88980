using System.Text.Json;
using Glidepath.Cli.Tests.Support;

namespace Glidepath.Cli.Tests.Hardening;

/// <summary>Issue 21 item 10: bad usage under --format json is a JSON error object, and a mistyped command gets a suggestion.</summary>
public sealed class CliUsageTests
{
    [Fact]
    public async Task Run_UnknownOptionWithJson_WritesJsonErrorObjectExit2()
    {
        var r = await CliRunner.RunAsync("traces", "list", "--no-such-option", "--format", "json");

        Assert.Equal(2, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(2, doc.RootElement.GetProperty("exit_code").GetInt32());
        Assert.Contains("--no-such-option", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    // `glidepath` alone and `glidepath help [COMMAND]` showed "error: Required command was not provided" (exit 2).
    [Theory]
    [InlineData(new string[0], " [command] [options]")]
    [InlineData(new[] { "help" }, " [command] [options]")]
    [InlineData(new[] { "help", "release" }, " release [command] [options]")]
    [InlineData(new[] { "help", "rollout", "start" }, " rollout start <REF> [options]")]
    [InlineData(new[] { "--store", "x.db", "help", "release" }, " release [command] [options]")] // trial "today": was exit 2
    [InlineData(new[] { "--format", "json", "--manifest=m.yaml", "help", "rollout", "start" }, " rollout start <REF> [options]")]
    public async Task Run_NoCommandOrHelp_ShowsHelpExit0(string[] args, string usage)
    {
        var r = await CliRunner.RunAsync(args);

        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("Usage:", r.Stdout, StringComparison.Ordinal);
        Assert.Contains(usage, r.Stdout, StringComparison.Ordinal);
        Assert.Equal("", r.Stderr);
    }

    // A mistyped command word started with "Required command was not provided"; a mistyped option got no suggestion.
    [Theory]
    [InlineData(new[] { "relase", "create" }, "error: Unrecognized command or argument 'relase' (did you mean 'release'?)")]
    [InlineData(new[] { "eval", "runn" }, "error: Unrecognized command or argument 'runn' (did you mean 'run'?)")]
    [InlineData(new[] { "status", "--formt", "json" }, "error: Unrecognized command or argument '--formt' (did you mean '--format'?)")]
    [InlineData(new[] { "eval", "run", "--concurency", "4" }, "error: unknown option '--concurency' (did you mean '--concurrency'?)")]
    [InlineData(new[] { "gate", "--basline" }, "error: unknown option '--basline' (did you mean '--baseline'?)")]
    public async Task Run_MistypedCommandOrOption_FirstLineNamesItWithASuggestion(string[] args, string first)
    {
        var r = await CliRunner.RunAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal(first, r.Stderr.Split('\n')[0]);
        Assert.DoesNotContain("Required command was not provided", r.Stderr, StringComparison.Ordinal);
    }

    // "glidepath relase create" printed a second error for 'create', the word after the mistyped one; errors are one line.
    [Theory]
    [InlineData("relase", "create", "-m", "x")]
    [InlineData("rollout", "statsu", "--env", "production")]
    public async Task Run_MistypedCommandWithWordsAfterIt_OneErrorLine(params string[] args)
    {
        var r = await CliRunner.RunAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("(did you mean", r.Stderr, StringComparison.Ordinal);
    }

    // Still said when the command is missing and only an option was mistyped; "help relase" names the word, not help.
    [Theory]
    [InlineData(new[] { "release", "--formt", "json" }, "Required command was not provided")]
    [InlineData(new[] { "help", "relase" }, "'relase' (did you mean 'release'?)")]
    public async Task Run_MissingCommandOrUnknownHelpTopic_Exit2Saying(string[] args, string expected)
    {
        var r = await CliRunner.RunAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(expected, r.Stderr, StringComparison.Ordinal);
    }

    // "--env staging rollout status" said "Unrecognized command or argument '--env' (did you mean '--env'?)": a command's
    // own option before the command is named as such, once, with the command line that works.
    [Theory]
    [InlineData(new[] { "--env", "staging", "rollout", "status" }, "error: '--env' is an option of 'rollout status', not a global one: put it after the command (glidepath rollout status --env staging)")]
    [InlineData(new[] { "--env=staging", "rollout", "status" }, "error: '--env' is an option of 'rollout status', not a global one: put it after the command (glidepath rollout status --env=staging)")]
    [InlineData(new[] { "--format", "json", "--limit", "3", "traces", "list", "--env", "staging" }, "error: '--limit' is an option of 'traces list', not a global one: put it after the command (glidepath traces list --limit 3)")]
    [InlineData(new[] { "--failed", "traces", "list", "--env", "staging" }, "error: '--failed' is an option of 'traces list', not a global one: put it after the command (glidepath traces list --failed)")]
    public async Task Run_CommandOptionBeforeTheCommand_OneErrorNamingWhereItGoes(string[] args, string expected)
    {
        var r = await CliRunner.RunAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.Equal([expected], r.Stderr.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)));
        Assert.DoesNotContain("did you mean", r.Stderr, StringComparison.Ordinal);
    }

    // Every global option goes before or after the command word, with or without '='.
    [Theory]
    [MemberData(nameof(GlobalOptionPlacements))]
    public void Parse_GlobalOptionBeforeOrAfterTheCommand_NoError(string[] args)
    {
        var parse = CliApp.Build(TextWriter.Null, TextWriter.Null, false).Parse(args);

        Assert.Empty(parse.Errors);
        Assert.Equal("status", parse.CommandResult.Command.Name);
    }

    public static TheoryData<string[]> GlobalOptionPlacements()
    {
        var data = new TheoryData<string[]>();
        foreach (var (option, value) in new[] { ("--manifest", "m.yaml"), ("--store", "x.db"), ("--server", "http://127.0.0.1:1"), ("--token", "gpt_x"), ("--format", "json") })
        {
            data.Add([option, value, "rollout", "status", "--env", "staging"]);
            data.Add([$"{option}={value}", "rollout", "status", "--env", "staging"]);
            data.Add(["rollout", "status", option, value, "--env", "staging"]);
            data.Add(["rollout", "status", "--env", "staging", $"{option}={value}"]);
        }

        return data;
    }

    [Fact]
    public async Task Run_UnknownOptionAsText_NothingOnStdout()
    {
        var r = await CliRunner.RunAsync("traces", "list", "--no-such-option");

        Assert.Equal(2, r.ExitCode);
        Assert.Equal("", r.Stdout);
    }

    // An unknown option where a command takes an argument was taken as the argument ("'--bogus' is not a release ref").
    [Theory]
    [InlineData("gate", "--bogus")]
    [InlineData("release", "show", "--bogus")]
    [InlineData("gate", "--candidate", "HEAD")]
    public async Task Run_UnknownOptionWhereAnArgumentGoes_SaysUnknownOptionExit2(params string[] args)
    {
        var r = await CliRunner.RunAsync(args);

        Assert.Equal(2, r.ExitCode);
        Assert.StartsWith($"error: unknown option '{args.First(a => a.StartsWith('-'))}'", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("release ref", r.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999")]
    [InlineData("abc")]
    public async Task Run_OptionValueOfTheWrongType_SaysWhatToTypeNotTheDotNetType(string value)
    {
        var r = await CliRunner.RunAsync("eval", "run", "--trials", value);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"Cannot parse argument '{value}' for option '--trials' as a whole number (at most 2147483647)", r.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsTakenAsArguments_NegativeNumber_IsAnArgument() =>
        Assert.Empty(CliUsage.OptionsTakenAsArguments(CliApp.Build(TextWriter.Null, TextWriter.Null, false).Parse(["release", "show", "-1"])));

    [Theory]
    [InlineData("relase", "release")]
    [InlineData("rolout", "rollout")]
    [InlineData("tarces", "traces")]
    public async Task Run_MistypedCommand_SuggestsTheNearestOne(string typed, string meant)
    {
        var r = await CliRunner.RunAsync(typed, "list");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains($"did you mean '{meant}'?", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MistypedSubcommand_SuggestsTheNearestOne()
    {
        var r = await CliRunner.RunAsync("traces", "lsit");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("did you mean 'list'?", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnrelatedWord_NoSuggestion()
    {
        var r = await CliRunner.RunAsync("frobnicate");

        Assert.Equal(2, r.ExitCode);
        Assert.DoesNotContain("did you mean", r.Stderr, StringComparison.Ordinal);
    }
}
