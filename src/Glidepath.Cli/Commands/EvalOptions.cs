using System.CommandLine;
using Glidepath.Evals.Runs;

namespace Glidepath.Cli.Commands;

/// <summary>Options shared by <c>eval run</c> and <c>gate</c>.</summary>
internal sealed class EvalOptions
{
    public Option<string?> Dataset { get; } = new("--dataset") { Description = "JSON Lines dataset (default: the manifest's eval.dataset)" };

    /// <summary>The most <c>--trials</c> takes, as <c>eval.trials</c> in the manifest: a typo of 100000 was 700,000 paid calls.</summary>
    public const int MaxTrials = 1000;

    public Option<int?> Trials { get; } = new("--trials") { Description = "Runs per case, 1 to 1000 (default: eval.trials); more trials measure non-determinism" };

    public Option<int?> Concurrency { get; } = new("--concurrency") { Description = "Model calls in flight at once (default: eval.concurrency, else 8)" };

    public Option<string[]> Tags { get; } = new("--tag") { Description = "Only cases with this tag (repeatable)", AllowMultipleArgumentsPerToken = false };

    public Option<bool> NoCache { get; } = new("--no-cache") { Description = "Call the model even when a cached response exists, and write the fresh answers over the cached ones" };

    public Option<string?> Resume { get; } = new("--resume") { Description = "Continue a stopped run by id; case × trial results already saved are not repeated, errored ones are run again" };

    public Option<string?> Environment { get; } = new("--env") { Description = "Render the system prompt with this environment's vars and use its provider settings (default: no environment's vars, so a verdict does not depend on the order of environments; unlike model try. A variable no case sets then stops the run, naming the --env that sets it)" };

    public Option<string[]> Vars { get; } = new("--var") { Description = "A prompt variable NAME=VALUE (repeatable; overrides --env's vars; a case's input.vars override both; a NAME no template of the release uses is exit 2)", AllowMultipleArgumentsPerToken = false };

    public void AddTo(Command command)
    {
        command.Add(Dataset);
        command.Add(Trials);
        command.Add(Concurrency);
        command.Add(Tags);
        command.Add(NoCache);
        command.Add(Resume);
        command.Add(Environment);
        command.Add(Vars);
    }

    /// <summary>
    /// The run options given, validated: <c>--trials</c> from 1 to <see cref="MaxTrials"/>, <c>--concurrency</c> at least 1;
    /// unset values stay null for the eval config to fill.
    /// </summary>
    public EvalRunOptions Read(ParseResult parse) => new()
    {
        Dataset = parse.GetValue(Dataset),
        Tags = parse.GetValue(Tags) ?? [],
        Trials = AtMost(Positive(parse.GetValue(Trials), "--trials"), MaxTrials, "--trials", "trials a case, as eval.trials (glidepath gate --plan shows how many a given drop needs)"),
        Concurrency = Positive(parse.GetValue(Concurrency), "--concurrency"),
        Resume = parse.GetValue(Resume),
    };

    private static int? AtMost(int? value, int max, string name, string why) =>
        value > max ? throw new Errors.BadInputException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{name} {value} is more than {max}; expected at most {max} {why}")) : value;

    private static int? Positive(int? value, string name) =>
        value is < 1 ? throw new Errors.BadInputException($"{name} must be at least 1") : value;
}
