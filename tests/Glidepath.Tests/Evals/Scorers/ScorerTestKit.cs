using System.Text.Json.Nodes;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using Microsoft.Extensions.AI;

namespace Glidepath.Tests.Evals.Scorers;

internal static class ScorerTestKit
{
    public static EvalCase Case(string expectJson = "{}") => new()
    {
        Id = "c1",
        Messages = [new ChatMessage(ChatRole.User, "How long do I have to return shoes?")],
        Expect = JsonNode.Parse(expectJson)!.AsObject(),
    };

    public static ScorerSpec Spec(string type, string optionsJson = "{}") => new()
    {
        Type = type,
        Options = JsonNode.Parse(optionsJson)!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value?.DeepClone()),
        Location = "glidepath.yaml:1:1",
    };

    public static ScorerSet Set(params ScorerSpec[] specs) => Set(null, specs);

    public static ScorerSet Set(Func<ModelSpec, IChatClient>? judge, params ScorerSpec[] specs) =>
        ScorerSet.Build(specs, ScorerRegistry.CreateDefault(), new ScorerBuildContext
        {
            ReadFile = path => path switch
            {
                "rubric.md" => "Score 1 when correct."u8.ToArray(),
                "schema.json" => """{"type":"object","required":["answer"],"properties":{"answer":{"type":"string"}}}"""u8.ToArray(),
                _ => throw new FileNotFoundException(path),
            },
            JudgeClient = judge is null ? null : (model, _) => judge(model),
        });

    public static async Task<ScoreOutcome> ScoreAsync(ScorerSpec spec, string response, EvalCase? evalCase = null, double latencyMs = 100, double? cost = 0.001,
        IEnumerable<FunctionCallContent>? calls = null)
    {
        using var set = Set(spec);
        var message = new ChatMessage(ChatRole.Assistant, [new TextContent(response), .. calls ?? []]);
        var outcomes = await set.ScoreAsync(evalCase?.Messages ?? [], new ChatResponse(message), evalCase, latencyMs, cost, CancellationToken.None);
        return Assert.Single(outcomes);
    }
}
