using Glidepath.Manifests;
using Microsoft.Extensions.AI;

namespace Glidepath.Evals.Scorers;

/// <summary>What scorer factories may use: the manifest's files, judge clients and a cost function.</summary>
public sealed record ScorerBuildContext
{
    /// <summary>Reads a file named relative to the manifest (rubric, schema).</summary>
    public required Func<string, byte[]> ReadFile { get; init; }

    /// <summary>Builds the judge's chat client; null where no judge may be used.</summary>
    public Func<ModelSpec, IChatClient>? JudgeClient { get; init; }

    /// <summary>Cost in USD of a response from a model, or null when unpriced.</summary>
    public Func<ModelSpec, ChatResponse, double?>? Cost { get; init; }
}
