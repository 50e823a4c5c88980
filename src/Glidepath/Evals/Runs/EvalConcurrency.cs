using System.Globalization;
using Glidepath.Manifests;

namespace Glidepath.Evals.Runs;

/// <summary>
/// How many calls an eval run keeps in flight: the concurrency asked for (<c>--concurrency</c> or
/// <c>eval.concurrency</c>), unless the manifest sets a lower <c>max_concurrency</c> on a provider the run calls.
/// A provider default never caps an eval: the run's own concurrency already bounds its calls.
/// </summary>
public sealed record EvalConcurrency(int Requested, int Effective, string? LimitedBy)
{
    /// <summary>The provider limit an eval's model clients get when the manifest sets none (the gateway keeps its own default).</summary>
    public const int UnsetProviderLimit = 4096;

    /// <summary>The limit that applies to a run asking for <paramref name="requested"/> calls to these providers.</summary>
    public static EvalConcurrency For(int requested, IEnumerable<(string Provider, ProviderSettings Settings)> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var result = new EvalConcurrency(requested, requested, null);
        foreach (var (provider, settings) in providers)
        {
            if (settings.MaxConcurrency is { } max && max < result.Effective)
            {
                result = result with { Effective = max, LimitedBy = string.Create(CultureInfo.InvariantCulture, $"providers.{provider}.max_concurrency: {max}") };
            }
        }

        return result;
    }

    /// <summary>One line for the run's log, naming the limit that applies.</summary>
    public string Describe() => LimitedBy is null
        ? string.Create(CultureInfo.InvariantCulture, $"concurrency {Requested} (no provider max_concurrency in glidepath.yaml lowers it)")
        : string.Create(CultureInfo.InvariantCulture, $"concurrency {Effective}: {LimitedBy} in glidepath.yaml caps the {Requested} asked for");
}
