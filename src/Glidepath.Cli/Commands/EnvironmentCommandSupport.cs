using System.CommandLine;
using Glidepath.Environments;
using Glidepath.Git;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary>What the environment commands share: the --env and --reason options, the service and the outcome output.</summary>
internal static class EnvironmentCommandSupport
{
    public static Option<string> EnvOption() => new("--env", "-e")
    {
        Description = "The environment, as declared under 'environments:' in the manifest",
        Required = true,
    };

    public static Option<string?> ReasonOption(string description = "Why: recorded in the environment's history") => new("--reason")
    {
        Description = description,
    };

    public static EnvironmentService Service(CliContext ctx, IGlidepathStore store) =>
        new(ctx.Manifest, store.Environments, store.GateVerdicts, store.Releases, store.Shadows, ctx.Time);

    public static Task<string> ActorAsync(CliContext ctx, CancellationToken cancellationToken) =>
        Actor.ResolveAsync(ctx.Manifest.BaseDirectory, cancellationToken);

    /// <summary>Prints the result of a state change: one line on a terminal, the event as JSON otherwise.</summary>
    public static async Task<int> WriteOutcomeAsync(CliContext ctx, IGlidepathStore store, EnvironmentOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.Note is { } note)
        {
            ctx.Output.Note(note);
        }

        if (ctx.Output.IsJson)
        {
            ctx.Output.Json(await EnvironmentReports.OutcomeAsync(ctx.Manifest, store, outcome, cancellationToken));
            return Glidepath.Cli.ExitCodes.Ok;
        }

        return WriteOutcomeText(ctx, outcome.Changed, outcome.Summary, outcome.Event?.Reason);
    }

    /// <summary>
    /// The same change through the admin API (<c>--server</c>): POSTs <paramref name="body"/> to
    /// <c>environments/{env}/{verb}</c> and prints the answer as a local change prints its outcome.
    /// </summary>
    public static async Task<int> RemoteOutcomeAsync(CliContext ctx, Remote.RemoteAdmin remote, string environment, string verb, object body, CancellationToken cancellationToken)
    {
        var json = await remote.PostAsync($"environments/{Remote.RemoteJson.Env(environment)}/{verb}", body, cancellationToken);
        var answer = Remote.RemoteJson.Read<Remote.Answers.OutcomeAnswer>(json);
        if (answer.Note is { } note)
        {
            ctx.Output.Note(note);
        }

        if (ctx.Output.IsJson)
        {
            ctx.Output.RawJson(json);
            return Glidepath.Cli.ExitCodes.Ok;
        }

        return WriteOutcomeText(ctx, answer.Changed, answer.Summary, answer.Event?.Reason);
    }

    private static int WriteOutcomeText(CliContext ctx, bool changed, string summary, string? reason)
    {
        var mark = changed ? "[green]✓[/]" : "[grey]=[/]";
        ctx.Output.Line(summary, $"{mark} {Spectre.Console.Markup.Escape(summary)}");
        if (reason is not null)
        {
            ctx.Output.Line($"  reason: {reason}");
        }

        return Glidepath.Cli.ExitCodes.Ok;
    }
}
