using System.Text.Json;
using Glidepath.Evals.Gate;
using Glidepath.Views;

namespace Glidepath.Evals.Reports;

/// <summary>
/// <c>drops_not_significant</c> of a gate document (<see cref="JsonReport"/>): the cases that scored lower with p ≤ the
/// family's α but not after the correction (<see cref="DropsNotSignificant"/>), or null. A field of its own, so each case's
/// <c>change</c> keeps its four values (<c>same</c> here) for the tools that read them.
/// </summary>
internal static class JsonReportDrops
{
    public static void Write(Utf8JsonWriter w, DropsNotSignificant? drops)
    {
        if (drops is null)
        {
            w.WriteNull("drops_not_significant");
            return;
        }

        w.WriteStartObject("drops_not_significant");
        w.WriteString("message", drops.Message);
        w.WriteNumber("cases", drops.Cases);
        w.WriteNumber("family_alpha", Math.Round(drops.FamilyAlpha, 12));
        w.WriteNumber("expected_by_chance", Math.Round(drops.ExpectedByChance, 6));
        w.WriteStartArray("largest");
        foreach (var c in drops.Largest)
        {
            w.WriteStartObject();
            JsonReport.CaseCounts(w, c, scores: false);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }
}
