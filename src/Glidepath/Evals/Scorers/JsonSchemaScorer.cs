using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Glidepath.Evals.Scorers;

/// <summary><c>json_schema</c>: the response is JSON valid against the scorer's <c>schema</c> file, or else the case's <c>expect.json_schema</c>.</summary>
public sealed class JsonSchemaScorer(string name, JsonSchema? schema) : Scorer(name)
{
    public static JsonSchema Parse(string json, string where)
    {
        try
        {
            return JsonSchema.FromText(json, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        }
        catch (Exception ex) when (ex is JsonException or JsonSchemaException or InvalidOperationException or ArgumentException)
        {
            throw new ScorerException($"{where} is not a valid JSON schema: {ex.Message}");
        }
    }

    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        var s = schema;
        if (s is null)
        {
            if (input.Case?.Expect["json_schema"] is not JsonObject inline)
            {
                return ValueTask.FromResult<ScoreValue?>(null);
            }

            s = Parse(inline.ToJsonString(), "expect.json_schema");
        }

        var doc = JsonText.ParseWhole(input.ResponseText);
        if (doc is null)
        {
            return ValueTask.FromResult<ScoreValue?>(ScoreValue.Fail("is not valid JSON"));
        }

        using var parsed = JsonDocument.Parse(doc.ToJsonString());
        var result = s.Evaluate(parsed.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return ValueTask.FromResult<ScoreValue?>(ScoreValue.Pass("matches the schema"));
        }

        var first = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .Select(d => $"{d.InstanceLocation}: {d.Errors!.Values.First()}").FirstOrDefault() ?? "does not match the schema";
        return ValueTask.FromResult<ScoreValue?>(ScoreValue.Fail(first));
    }
}
