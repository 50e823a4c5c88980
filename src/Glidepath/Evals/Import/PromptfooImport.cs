using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Glidepath.Evals.Import;

/// <summary>The result of converting a promptfoo suite: dataset lines, the scorers they need, and what could not be converted.</summary>
public sealed record PromptfooImport
{
    /// <summary>One JSON object per case, in the dataset's line format.</summary>
    public required IReadOnlyList<JsonObject> Cases { get; init; }

    /// <summary>The manifest <c>eval.scorers:</c> entries that read the converted expectations, as YAML lines.</summary>
    public required IReadOnlyList<string> Scorers { get; init; }

    /// <summary>One line per thing left out: which test, which assertion, and why.</summary>
    public required IReadOnlyList<string> NotConverted { get; init; }

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The dataset as JSON Lines.</summary>
    public string ToJsonLines() => string.Concat(Cases.Select(c => c.ToJsonString(Compact) + "\n"));

    /// <summary>The <c>eval.scorers</c> snippet, or null when no expectation needs a scorer (an empty list would make every case pass).</summary>
    public string? ScorersYaml() =>
        Scorers.Count == 0 ? null : "eval:\n  scorers:\n" + string.Concat(Scorers.Select(s => "    - " + s + "\n"));
}
