using System.Buffers;
using System.Text;
using System.Text.Json;
using Glidepath.Errors;

namespace Glidepath.Evals.Runs;

/// <summary>
/// A run's <see cref="JudgeSpend"/> as every store keeps it (a JSON array in the run's row, exact decimals):
/// <c>[{"release_id", "scorer", "calls", "cost_usd", "dearest_usd"}]</c>, with <c>"unanswered_calls"</c> and <c>"unanswered_usd"</c>
/// when a call got no answer (absent: none); null for a run stored before the spend was kept.
/// </summary>
public static class JudgeSpendJson
{
    public static string? Write(IReadOnlyList<JudgeSpend>? spend)
    {
        if (spend is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var entry in spend)
            {
                w.WriteStartObject();
                w.WriteString("release_id", entry.ReleaseId);
                w.WriteString("scorer", entry.Scorer);
                w.WriteNumber("calls", entry.Calls);
                if (entry.CostUsd is { } cost)
                {
                    w.WriteNumber("cost_usd", cost);
                }
                else
                {
                    w.WriteNull("cost_usd");
                }

                w.WriteNumber("dearest_usd", entry.DearestUsd);
                if (entry.UnansweredCalls > 0)
                {
                    w.WriteNumber("unanswered_calls", entry.UnansweredCalls);
                    w.WriteNumber("unanswered_usd", entry.UnansweredUsd);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The spend <see cref="Write"/> stored for run <paramref name="runId"/>; null when none was. A value that does not read
    /// as one is refused rather than taken as nothing spent: the judge's cap counts from it.
    /// </summary>
    public static IReadOnlyList<JudgeSpend>? Read(string? json, string runId)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var spend = new List<JudgeSpend>();
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                var cost = e.GetProperty("cost_usd");
                var entry = new JudgeSpend(e.GetProperty("release_id").GetString()!, e.GetProperty("scorer").GetString()!)
                {
                    Calls = e.GetProperty("calls").GetInt32(),
                    CostUsd = cost.ValueKind == JsonValueKind.Null ? null : cost.GetDecimal(),
                    DearestUsd = e.GetProperty("dearest_usd").GetDecimal(),
                    UnansweredCalls = e.TryGetProperty("unanswered_calls", out var unanswered) ? unanswered.GetInt32() : 0,
                    UnansweredUsd = e.TryGetProperty("unanswered_usd", out var estimate) ? estimate.GetDecimal() : 0,
                };
                if (entry.Calls < 0 || entry.CostUsd < 0 || entry.DearestUsd < 0 || entry.UnansweredCalls < 0 || entry.UnansweredUsd < 0 || entry.ReleaseId is null || entry.Scorer is null)
                {
                    throw new FormatException("a figure is negative or a name missing");
                }

                spend.Add(entry);
            }

            return spend;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new OperationalException($"the judge spend stored with eval run {runId} cannot be read ({ex.Message}); the store was changed by hand or is damaged: restore it from a backup", ex);
        }
    }
}
