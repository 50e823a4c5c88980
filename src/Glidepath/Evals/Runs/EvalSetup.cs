using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;

namespace Glidepath.Evals.Runs;

/// <summary>
/// What every eval and gate run of one invocation shares: the manifest's <c>eval:</c> section, the prompt vars
/// (an environment's <c>vars:</c>, then overrides), the environment whose provider settings apply, and the cache choice.
/// Checked by <see cref="For"/> before a store or a model client is opened.
/// </summary>
public sealed record EvalSetup
{
    public required Manifest Manifest { get; init; }
    public required EvalConfig Config { get; init; }

    /// <summary>Prompt variables for every case; a case's own <c>input.vars</c> override them.</summary>
    public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The names given with <c>--var</c>: each must be a variable a template of the run's releases uses (checked once they
    /// are known, before any model call), while an environment's <c>vars:</c> serve every release and are not checked.
    /// </summary>
    public IReadOnlyList<string> VarOptions { get; init; } = [];

    /// <summary>The environment whose provider settings the models are called with, or null for the manifest's own.</summary>
    public string? Environment { get; init; }

    /// <summary>
    /// Whether model responses may come from (and go to) the response cache, for a new run. A resumed run keeps the choice
    /// it was started with; false here (<c>--no-cache</c>) on the resume of a cached run is refused.
    /// </summary>
    public bool UseCache { get; init; } = true;

    /// <summary>
    /// For the error that stops a run on prompt variables a case leaves unset: when no <c>--env</c> was given (eval run and
    /// gate use no environment's vars unless told, so a verdict does not depend on which environment the manifest lists
    /// first; <c>model try</c> does use the first one's), the environments whose <c>vars:</c> set them all and the
    /// <c>--env</c> to add. Null when an environment was given or none sets them.
    /// </summary>
    public string? UnsetVarsHint(IReadOnlyList<string> unset)
    {
        ArgumentNullException.ThrowIfNull(unset);
        if (Environment is not null || unset.Count == 0)
        {
            return null;
        }

        var setting = Manifest.Environments.Where(e => unset.All(e.Vars.ContainsKey)).Select(e => e.Name).ToList();
        if (setting.Count == 0)
        {
            return null;
        }

        var names = string.Join(", ", unset.Select(v => "'" + v + "'"));
        return setting.Count == 1
            ? $"Without --env no environment's vars are used; environment '{setting[0]}' sets {names}: add --env {setting[0]}"
            : $"Without --env no environment's vars are used; environments {string.Join(", ", setting.Select(e => "'" + e + "'"))} set {names}: add --env with one of them (e.g. --env {setting[0]})";
    }

    /// <summary>Reads the eval config and resolves the vars; <see cref="BadInputException"/> when the manifest has no <c>eval:</c> section or no scorer in it, the environment is unknown or an override is malformed.</summary>
    /// <param name="environment">The environment whose vars and provider settings apply, or null.</param>
    /// <param name="vars">Overrides as <c>NAME=VALUE</c>.</param>
    public static EvalSetup For(Manifest manifest, string? environment, IReadOnlyList<string> vars, bool useCache)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var config = manifest.Eval ?? throw new BadInputException($"{manifest.FilePath}: no eval: section; expected eval: {{ dataset: evals/cases.jsonl, scorers: [...] }}");
        if (config.Scorers.Count == 0)
        {
            // Every case would be refused by the dataset check (no scorer reads its expect) or pass with nothing checked.
            throw new BadInputException($"{(config.ScorersLocation.Length > 0 ? config.ScorersLocation : manifest.FilePath)}: eval.scorers is empty, so no case " +
                "could be checked; expected at least one scorer, e.g. scorers: [ { type: contains } ] (docs/eval.md lists them)");
        }

        var (resolved, _) = PromptVars.Resolve(manifest, environment, vars, firstByDefault: false);
        return new EvalSetup { Manifest = manifest, Config = config, Vars = resolved, VarOptions = PromptVars.Names(vars), Environment = environment, UseCache = useCache };
    }
}
