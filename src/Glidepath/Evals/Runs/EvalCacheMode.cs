using Glidepath.Models;

namespace Glidepath.Evals.Runs;

/// <summary>
/// How an eval run's model and judge calls use the response cache: a run with the cache reads and writes it; a
/// <c>--no-cache</c> run calls every time and writes its answers over the entries, so the next run with the cache replays
/// the newest draw (each trial index its own entry) rather than an older one the fresh run superseded.
/// </summary>
internal static class EvalCacheMode
{
    public static ResponseCacheMode Of(bool useCache) => useCache ? ResponseCacheMode.Use : ResponseCacheMode.Refresh;
}
