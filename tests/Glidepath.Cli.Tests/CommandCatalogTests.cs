using Glidepath.Cli;

namespace Glidepath.Cli.Tests;

/// <summary>A run builds only the command it names (start-up time), and every command when it names none it knows.</summary>
public sealed class CommandCatalogTests
{
    private static CliEnvironment Env() => new(TextWriter.Null, TextWriter.Null, false);

    [Fact]
    public void Entries_EachBuildsTheCommandOfItsName()
    {
        foreach (var (name, build) in CommandCatalog.Entries)
        {
            Assert.Equal(name, build(Env()).Name);
        }

        Assert.Equal(CommandCatalog.Entries.Count, CommandCatalog.Entries.Select(e => e.Name).Distinct().Count());
    }

    [Theory]
    [InlineData("eval run --env staging", "eval")]
    [InlineData("--manifest m.yaml --format json rollout status", "rollout")]
    [InlineData("--store=x.db gate", "gate")]
    [InlineData("", null)]
    [InlineData("--help", null)]
    [InlineData("--version", null)]
    [InlineData("@args.rsp", null)]
    [InlineData("--manifest", null)]
    public void FirstWord_SkipsTheGlobalOptionsOnly(string args, string? expected)
    {
        Assert.Equal(expected, CommandCatalog.FirstWord(args.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Build_ForACommand_HoldsOnlyThatCommand()
    {
        var root = CliApp.Build(Env(), ["--format", "json", "eval", "run"]);

        Assert.Equal(["eval"], root.Subcommands.Select(c => c.Name));
        Assert.Equal(5, root.Options.Count(o => o.Name is "--manifest" or "--store" or "--server" or "--token" or "--format"));
    }

    [Theory]
    [InlineData("evl run")]
    [InlineData("help eval")]
    [InlineData("--help")]
    public void Build_ForNoKnownCommand_HoldsEveryCommand(string args)
    {
        var root = CliApp.Build(Env(), args.Split(' '));

        Assert.Equal(CommandCatalog.Entries.Select(e => e.Name), root.Subcommands.Select(c => c.Name));
    }

    [Fact]
    public async Task RunAsync_MistypedCommand_StillSuggestsTheClosest()
    {
        var stderr = new StringWriter();

        var code = await CliApp.RunAsync(["rollbak"], TextWriter.Null, stderr, false, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("rollback", stderr.ToString());
    }
}
