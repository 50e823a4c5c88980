using Glidepath.Manifests;
using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// A scorer type a manifest may name: how its evaluator is built from a <see cref="ScorerSpec"/>, which options the
/// manifest may give it, and whether it reads a case's expectations.
/// </summary>
public sealed record ScorerType(string Name, Func<ScorerSpec, ScorerBuildContext, IEvaluator> Create)
{
    /// <summary>Option keys accepted besides <c>type</c>; any other key is a manifest error. Null accepts every key.</summary>
    public IReadOnlyList<string>? Options { get; init; }

    /// <summary>True when the scorer reads a case's <c>expect</c>, which live traffic does not have: not allowed under <c>online.scorers</c>.</summary>
    public bool NeedsReference { get; init; }

    /// <summary>
    /// Which <c>expect</c> keys a scorer of this type, given its options, reads and whether it checks every case; null
    /// (a type registered in code that does not say) leaves a dataset's keys unchecked against the scorers.
    /// </summary>
    public Func<ScorerSpec, ExpectReads>? Reads { get; init; }
}
