using System.Text.RegularExpressions;
using Glidepath.Errors;
using Glidepath.Manifests;

namespace Glidepath.Models;

/// <summary>
/// The prompt variables a command starts from: an environment's <c>vars:</c>, then <c>--var NAME=VALUE</c> overrides.
/// A dataset case's <c>input.vars</c> (or a request's headers) are applied on top by whoever renders the prompt.
/// </summary>
public static partial class PromptVars
{
    /// <summary>Merges the environment's vars with the overrides; throws <see cref="BadInputException"/> for an unknown environment or a malformed override.</summary>
    /// <param name="environment">The environment named by <c>--env</c>, or null.</param>
    /// <param name="firstByDefault">Without <paramref name="environment"/>, use the first declared environment's vars (otherwise none).</param>
    /// <returns>The vars and, when an environment was picked by default, its name.</returns>
    public static (IReadOnlyDictionary<string, string> Vars, string? DefaultEnvironment) Resolve(
        Manifest manifest, string? environment, IReadOnlyList<string> overrides, bool firstByDefault)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        var env = environment is not null
            ? manifest.FindEnvironment(environment) ?? throw Environments.EnvironmentService.UnknownEnvironment(manifest, environment)
            : firstByDefault ? manifest.Environments.FirstOrDefault() : null;
        foreach (var (k, v) in env?.Vars ?? new Dictionary<string, string>())
        {
            vars[k] = v;
        }

        foreach (var pair in overrides)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !Name().IsMatch(pair[..eq]))
            {
                // Not the sample's customer_tier: an app's own prompt has other names, and the sample's would mislead.
                throw new BadInputException($"--var {pair}: expected NAME=VALUE, with NAME the name of a template variable ({{{{NAME}}}} in the system prompt: a letter or '_', then letters, digits, '_', '.' or '-')");
            }

            vars[pair[..eq]] = pair[(eq + 1)..];
        }

        return (vars, environment is null ? env?.Name : null);
    }

    /// <summary>The variable names of <c>--var NAME=VALUE</c> overrides that <see cref="Resolve"/> accepted, in order.</summary>
    public static IReadOnlyList<string> Names(IReadOnlyList<string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return [.. overrides.Select(pair => pair.IndexOf('=', StringComparison.Ordinal) is var eq && eq > 0 ? pair[..eq] : pair).Distinct(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.-]*\z")]
    private static partial Regex Name();
}
