using System.Diagnostics;
using Glidepath.Errors;

namespace Glidepath.Cli.Demo;

/// <summary>
/// Walks the six steps of the safe path on the bundled sample, running the real commands in-process
/// against a throw-away workspace and store, and records what happened in a <see cref="DemoOutcome"/>.
/// </summary>
internal sealed partial class DemoRunner
{
    private readonly CliContext _ctx;
    private readonly DemoNarrator _say;
    private readonly TextWriter _commandOut;
    private readonly bool _fast;
    private DemoWorkspace _ws = null!;
    private bool _keep;

    public DemoRunner(CliContext ctx, bool fast)
    {
        _ctx = ctx;
        _fast = fast;
        // With --format json the story goes to stderr so stdout carries only the outcome.
        _commandOut = ctx.Output.IsJson ? ctx.Env.Stderr : ctx.Env.Stdout;
        _say = new DemoNarrator(ctx.Output, _commandOut);
    }

    public DemoOutcome Outcome { get; } = new();

    public async Task<DemoOutcome> RunAsync(string? keepAt, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        _keep = keepAt is not null;
        using var ws = await DemoWorkspace.CreateAsync(keepAt, _fast ? 0.02 : 0.08, cancellationToken);
        _ws = ws;
        Outcome.Workspace = ws.Path;

        // The demo's store is new by design: made here, so its first command does not announce "created a new store".
        await (await _ctx.Env.Stores.OpenAsync(ws.StorePath, create: true, _ctx.Time, cancellationToken)).DisposeAsync();
        _say.Say($"Glidepath demo: the sample support agent, a SQLite store and the simulated model in {ws.Path}.");
        _say.Say("Every command below is the real one a team runs; the demo only types them for you.");

        try
        {
            await StepVersionAndPromoteAsync(cancellationToken);
            await StepGateAsync(cancellationToken);
            await StepTrafficAndDrillAsync(cancellationToken);
            await StepRolloutAsync(cancellationToken);
            await StepCanaryCatchesRegressionAsync(cancellationToken);
            await StepChecklistAsync(cancellationToken);
        }
        finally
        {
            await StopGatewaysAsync();
            if (_store is not null)
            {
                await _store.DisposeAsync();
            }
        }

        Outcome.TrafficRequests = (int)(_traffic?.Sent ?? 0);
        Outcome.TrafficErrors = (int)(_traffic?.Errors ?? 0);

        Outcome.Seconds = Math.Round(clock.Elapsed.TotalSeconds, 1);
        _say.Say($"Demo finished in {Outcome.Seconds:0} s.");
        return Outcome;
    }

    /// <summary>Runs <c>glidepath ARGS</c> in-process against the demo workspace and returns its exit code.</summary>
    private async Task<int> GlidepathAsync(CancellationToken cancellationToken, params string[] args)
    {
        _say.Command("glidepath " + string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)));
        string[] full = [.. args, "--manifest", _ws.Path, "--store", _ws.StorePath];
        return await CliApp.RunAsync(full, _ctx.Env with { Stdout = _commandOut, IsTerminal = _ctx.Env.IsTerminal && !_ctx.Output.IsJson }, cancellationToken);
    }

    private async Task ExpectAsync(int expected, CancellationToken cancellationToken, params string[] args)
    {
        var code = await GlidepathAsync(cancellationToken, args);
        if (code != expected)
        {
            throw new OperationalException($"demo: 'glidepath {string.Join(' ', args)}' exited {code}, expected {expected}; the workspace is {_ws.Path}");
        }
    }

    private async Task StepVersionAndPromoteAsync(CancellationToken cancellationToken)
    {
        _say.Step(1, "Version the change, then promote it through an isolated environment");
        _say.Say("A release is every byte that shapes behaviour — prompt, model, parameters, tools — hashed and immutable.");
        await ExpectAsync(0, cancellationToken, "release", "create", "-m", "first release of the support agent");
        _say.Say("Production requires staging first: deploy to staging, where a mistake costs nothing, then promote.");
        await ExpectAsync(0, cancellationToken, "deploy", "v1", "--env", "staging");
        await ExpectAsync(0, cancellationToken, "promote", "v1", "--env", "production");
        Outcome.PromotedV1 = true;
        _say.Result(true, "v1 is stable in staging and production.");
    }

    private async Task StepGateAsync(CancellationToken cancellationToken)
    {
        _say.Step(2, "The eval gate: the baseline is held or beaten, or the change does not ship");
        _say.Say("Someone 'tidies' the prompt and drops the refund-window policy line (v2).");
        _ws.Edit("prompts/system.md", FindLine(_ws.Read("prompts/system.md"), "- Refund window:"), "");
        await _ws.CommitAsync("tidy the prompt (drops the refund window)", cancellationToken);
        await ExpectAsync(0, cancellationToken, "release", "create", "-m", "tidy the prompt");
        Outcome.BrokenGateExit = await GlidepathAsync(cancellationToken, "gate", "v2", "--baseline", "env:production");
        _say.Result(Outcome.BrokenGateExit == 1, Outcome.BrokenGateExit == 1
            ? "Blocked (exit 1): the refund cases regressed, shown side by side. In CI this fails the pull request."
            : $"Unexpected: the gate exited {Outcome.BrokenGateExit}.");

        _say.Say("The fix restores the line and also makes the tone policy warmer (v3).");
        await RestoreRefundLineAsync(cancellationToken);
        _ws.Edit("prompts/system.md", "- Tone: be warm and concise,", "- Tone: be warm, friendly and concise,");
        await _ws.CommitAsync("warmer tone", cancellationToken);
        await ExpectAsync(0, cancellationToken, "release", "create", "-m", "warmer tone");
        Outcome.GoodGateExit = await GlidepathAsync(cancellationToken, "gate", "v3", "--baseline", "env:production");
        _say.Result(Outcome.GoodGateExit == 0, Outcome.GoodGateExit == 0 ? "Passed (exit 0): v3 holds the baseline; the verdict is stored as evidence." : $"Unexpected: the gate exited {Outcome.GoodGateExit}.");
        _say.Say("What exactly changed between what is live and the candidate:");
        await ExpectAsync(0, cancellationToken, "release", "diff", "v1", "v3");
    }

    private async Task RestoreRefundLineAsync(CancellationToken cancellationToken)
    {
        var original = await File.ReadAllTextAsync(Path.Combine(Commands.InitCommand.SamplePath(), "prompts", "system.md"), cancellationToken);
        var refund = FindLine(original, "- Refund window:");
        var late = FindLine(_ws.Read("prompts/system.md"), "- Late returns:");
        _ws.Edit("prompts/system.md", late, refund + late);
    }

    /// <summary>The whole line (with its newline) that starts with <paramref name="prefix"/>.</summary>
    private static string FindLine(string text, string prefix)
    {
        var start = text.IndexOf(prefix, StringComparison.Ordinal);
        var end = text.IndexOf('\n', start);
        return text[start..(end + 1)];
    }
}
