using System.Globalization;
using System.Text.Json;

namespace Glidepath.Evals.Gate;

/// <summary>
/// What a stored pass warned about, read back from its details (as <c>JsonReport.Details</c> writes them): the gate rule or
/// the scorers unlike the baseline commit's (<see cref="RuleChange"/>, <see cref="ScorerChange"/>), a pass that could
/// not have blocked the cases that scored lower (<see cref="CannotBlock"/>), cases removed or changed against the
/// baseline's commit (<see cref="DatasetChange"/>), and cases failing on both sides (<see cref="AlwaysFailing"/>). Promote and the checklist repeat it beside the pass they count on.
/// </summary>
public static class VerdictWarnings
{
    /// <summary>" (warning: eval.scorers differed from the baseline commit's, changed by this change; it could not have blocked 5 case(s) …)", or "" when the details hold none.</summary>
    public static string Note(string detailsJson)
    {
        var notes = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(detailsJson);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (Changed(root, "rule_change") is { } rule)
                {
                    notes.Add($"the gate rule differed from the baseline commit's, {rule}");
                }

                if (Changed(root, "scorer_change") is { } scorers)
                {
                    notes.Add($"eval.scorers differed from the baseline commit's, {scorers}");
                }

                if (Count(root, "cannot_block", "cases_lower") is > 0 and var lower)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"it could not have blocked the {lower} case(s) that scored lower: too few trials"));
                }

                if ((Count(root, "dataset_change", "removed") ?? 0, Count(root, "dataset_change", "changed") ?? 0) is var (removed, changed) && removed + changed > 0)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"{removed} case(s) removed and {changed} changed against the baseline's commit were not gated"));
                }

                if (Count(root, "always_failing", "cases") is > 0 and var failing)
                {
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"{failing} case(s) failed on every trial on both sides and cannot show a regression: check their expectations"));
                }
            }
        }
        catch (JsonException)
        {
            // A store's value is not trusted: details that do not parse carry no warning, as they carry no reasons.
        }

        return notes.Count == 0 ? "" : $" (warning: {string.Join("; ", notes)})";
    }

    // Who changed what a warning names, from its changed_by (a store's value: anything unknown reads as unknown).
    private static string? Changed(JsonElement root, string field) =>
        !root.TryGetProperty(field, out var o) || o.ValueKind != JsonValueKind.Object ? null
        : o.TryGetProperty("changed_by", out var by) && by.ValueKind == JsonValueKind.String ? by.GetString() switch
        {
            "this_change" => "changed by this change",
            "base_branch" => "changed on the base branch after this change forked (gated under this change's own)",
            "both" => "changed by this change and on the base branch",
            _ => "changed by this change or on the base branch",
        }
        : "changed by this change or on the base branch";

    private static int? Count(JsonElement root, string field, string count) =>
        root.TryGetProperty(field, out var o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty(count, out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var value)
            ? value
            : null;
}
