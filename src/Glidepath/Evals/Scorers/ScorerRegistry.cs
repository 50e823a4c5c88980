using Glidepath.Errors;
using Glidepath.Manifests;
using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// Scorer types by name. <see cref="CreateDefault"/> holds the <see cref="BuiltInScorers"/>; a team's own
/// <see cref="IEvaluator"/> plugs in with <see cref="Register(string, Func{ScorerSpec, ScorerBuildContext, IEvaluator})"/>
/// and is then usable by type name, also in a manifest loaded with this registry
/// (<see cref="ManifestParser.Load(string, ScorerRegistry)"/>).
/// </summary>
public sealed class ScorerRegistry
{
    internal const string NameKey = "__name";

    private readonly Dictionary<string, ScorerType> _types = new(StringComparer.Ordinal);

    /// <summary>The registered type names, built-ins first, in registration order.</summary>
    public IReadOnlyCollection<string> Types => _types.Keys;

    /// <summary>Adds a type, or replaces the one of that name. Its options are not checked in a manifest (any key is passed on).</summary>
    public ScorerRegistry Register(string type, Func<ScorerSpec, ScorerBuildContext, IEvaluator> factory) =>
        Register(new ScorerType(type, factory));

    /// <summary>Adds a type, or replaces the one of that name, with the options a manifest may give it.</summary>
    public ScorerRegistry Register(ScorerType type)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type.Name);
        _types[type.Name] = type;
        return this;
    }

    public bool Contains(string type) => _types.ContainsKey(type);

    /// <summary>The type registered under <paramref name="type"/>, or null.</summary>
    public ScorerType? Find(string type) => _types.GetValueOrDefault(type);

    public IEvaluator Create(ScorerSpec spec, string name, ScorerBuildContext context) =>
        _types.TryGetValue(spec.Type, out var t)
            ? t.Create(spec with { Options = spec.Options.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal).WithName(name) }, context)
            : throw new BadInputException($"{spec.Location}: unknown scorer type '{spec.Type}'; expected one of: {string.Join(", ", _types.Keys)}{ClosestName.Suggestion(spec.Type, _types.Keys)}");

    /// <summary>A registry holding the <see cref="BuiltInScorers"/>.</summary>
    public static ScorerRegistry CreateDefault()
    {
        var registry = new ScorerRegistry();
        foreach (var type in BuiltInScorers.All)
        {
            registry.Register(type);
        }

        return registry;
    }
}
