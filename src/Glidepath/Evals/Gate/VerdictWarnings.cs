using System.Globalization;
using System.Text.Json;

namespace Glidepath.Evals.Gate;

/// <summary>
/// What a stored pass warned about, read back from its details (as <c>JsonReport.Details</c> writes them): a pass that could
/// not have blocked the cases that scored lower (<see cref="CannotBlock"/>), cases removed or changed against the
/// baseline's commit (<see cref="DatasetChange"/>), and cases failing on both sides (<see cref="AlwaysFailing"/>). Promote and the checklist repeat it beside the pass they count on.
/// </summary>
public static class VerdictWarnings
{
    /// <summary>" (it could not have blocked 5 case(s) that scored lower: too few trials; 8 case(s) removed …)", or "" when the details hold neither.</summary>
    public static string Note(string detailsJson)
    {
        var notes = new List<string>();
        try
        {
            using var doc = JsonDocument.Parse(detailsJson);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
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

    private static int? Count(JsonElement root, string field, string count) =>
        root.TryGetProperty(field, out var o) && o.ValueKind == JsonValueKind.Object && o.TryGetProperty(count, out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out var value)
            ? value
            : null;
}
