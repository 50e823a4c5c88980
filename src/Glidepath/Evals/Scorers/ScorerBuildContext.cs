using Glidepath.Manifests;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Scorers;

/// <summary>What scorer factories may use: the manifest's files, judge clients and a cost function.</summary>
public sealed record ScorerBuildContext
{
    /// <summary>Reads a file named relative to the manifest (rubric, schema).</summary>
    public required Func<string, byte[]> ReadFile { get; init; }

    /// <summary>
    /// Builds the judge's chat client for the calls that score one trial index (0 online, where there are no trials): an
    /// eval's judge caches each trial's answers under its own key, so the trials of a case are independent judge draws.
    /// Null where no judge may be used.
    /// </summary>
    public Func<ModelSpec, int, IChatClient>? JudgeClient { get; init; }

    /// <summary>Cost in USD of a response from a model, or null when unpriced.</summary>
    public Func<ModelSpec, ChatResponse, double?>? Cost { get; init; }
}
