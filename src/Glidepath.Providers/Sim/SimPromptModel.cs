using System.Collections.Concurrent;

namespace Glidepath.Providers.Sim;

/// <summary>
/// What the sim derives from a system prompt alone — its policy lines, the candidate lines, the identity sentence and
/// the TF-IDF ranker over them — built once per distinct prompt instead of on every call (an eval run sends one
/// rendered prompt thousands of times). Immutable once built, so calls share it across threads.
/// </summary>
internal sealed class SimPromptModel
{
    /// <summary>Distinct prompts kept; beyond it the cache starts over (templated prompts can make many).</summary>
    private const int Capacity = 256;

    private static readonly ConcurrentDictionary<string, SimPromptModel> Cache = new(StringComparer.Ordinal);

    private SimPromptModel(string systemPrompt)
    {
        Lines = SimPrompt.Lines(systemPrompt);
        Candidates = Lines.Where(l => !l.IsStyle).ToList();
        Identity = SimPrompt.Identity(systemPrompt);
        Ranker = Candidates.Count > 0 ? new SimRanker(Candidates) : null;
    }

    public IReadOnlyList<SimPolicyLine> Lines { get; }

    /// <summary>The lines about what to say (not style lines): what the ranker chooses from.</summary>
    public IReadOnlyList<SimPolicyLine> Candidates { get; }

    public string? Identity { get; }

    /// <summary>Null when the prompt has no candidate line.</summary>
    public SimRanker? Ranker { get; }

    public static SimPromptModel For(string systemPrompt)
    {
        if (Cache.TryGetValue(systemPrompt, out var model))
        {
            return model;
        }

        if (Cache.Count >= Capacity)
        {
            Cache.Clear();
        }

        return Cache.GetOrAdd(systemPrompt, static p => new SimPromptModel(p));
    }
}
