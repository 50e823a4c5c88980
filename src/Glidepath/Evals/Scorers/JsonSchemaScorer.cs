using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Glidepath.Evals.Scorers;

/// <summary><c>json_schema</c>: the response is JSON valid against the scorer's <c>schema</c> file, or else the case's <c>expect.json_schema</c>.</summary>
public sealed class JsonSchemaScorer(string name, JsonSchema? schema) : Scorer(name)
{
    public static JsonSchema Parse(string json, string where) =>
        TryParse(json, out var schema, out var error) ? schema : throw new ScorerException($"{where} is not a valid JSON schema: {error}");

    /// <summary>
    /// The schema <paramref name="json"/> holds, or false with why it is none (not JSON, or a keyword of the wrong form such
    /// as <c>"type": "objekt"</c>): what the manifest and the dataset check at load, so a broken schema is bad input at its
    /// line before any model call, not a scorer error on every trial.
    /// </summary>
    public static bool TryParse(string json, [NotNullWhen(true)] out JsonSchema? schema, [NotNullWhen(false)] out string? error)
    {
        try
        {
            schema = JsonSchema.FromText(json.TrimStart('\uFEFF'), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = Errors.JsonProblem.Reason(ex);
        }
        catch (Exception ex) when (ex is JsonSchemaException or InvalidOperationException or ArgumentException)
        {
            error = ex.Message.TrimEnd('.', ' ');
        }

        schema = null;
        return false;
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

        if (JsonText.ParseWhole(input.ResponseText) is not { } doc)
        {
            return ValueTask.FromResult<ScoreValue?>(ScoreValue.Fail("is not valid JSON"));
        }

        if (JsonText.RepeatedKey(doc) is { } repeated)
        {
            // The schema checked one copy (it passed {"a": 1, "a": "x"} against "a": number) while a reader of the answer may take
            // the other: no schema holds for such a document.
            return ValueTask.FromResult<ScoreValue?>(ScoreValue.Fail($"gives the key \"{Clip(repeated)}\" twice in one object, so which value holds is not known"));
        }

        var result = s.Evaluate(doc, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return ValueTask.FromResult<ScoreValue?>(ScoreValue.Pass("matches the schema"));
        }

        var first = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .Select(d => $"{d.InstanceLocation}: {d.Errors!.Values.First()}").FirstOrDefault() ?? "does not match the schema";
        return ValueTask.FromResult<ScoreValue?>(ScoreValue.Fail(first));
    }

    private static string Clip(string key) => key.Length <= 60 ? key : key[..59] + "…";
}
