using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// <c>json_valid</c>: the response is JSON (reference-free). A case may set <c>expect.json</c> to
/// <c>"contains"</c> (JSON embedded in prose is enough) or <c>false</c> (skip this case).
/// </summary>
public sealed class JsonValidScorer(string name) : Scorer(name)
{
    protected override ValueTask<ScoreValue?> ScoreAsync(ScorerInput input, CancellationToken cancellationToken)
    {
        var mode = input.Case?.Expect["json"];
        if (mode is JsonValue b && b.GetValueKind() == JsonValueKind.False)
        {
            return ValueTask.FromResult<ScoreValue?>(null);
        }

        var embedded = mode is JsonValue m && m.GetValueKind() == JsonValueKind.String && m.GetValue<string>() == "contains";
        var ok = embedded ? JsonText.FindEmbedded(input.ResponseText) is not null : JsonText.ParseWhole(input.ResponseText) is not null;
        return ValueTask.FromResult<ScoreValue?>(ok
            ? ScoreValue.Pass(embedded ? "contains valid JSON" : "is valid JSON")
            : ScoreValue.Fail(embedded ? "contains no valid JSON" : "is not valid JSON"));
    }
}
