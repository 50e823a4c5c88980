using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Glidepath.Manifests;

namespace Glidepath.Evals.Gate;

/// <summary>
/// The gate rule a verdict was computed under: every value that decides pass or block (<c>eval.gate</c>'s
/// <c>max_case_regressions</c>, <c>max_mean_drop</c> and <c>confidence</c>, <c>eval.trials</c>, which makes a run the
/// whole gate, and the mean rule's fixed seed and resamples). A verdict counts only under the rule it was computed
/// under (<see cref="GateBasis"/>): a pass under a loosened rule is no evidence once the rule is put back.
/// </summary>
public sealed record VerdictRule(int MaxCaseRegressions, double MaxMeanDrop, double Confidence, int Trials, int Seed, int Resamples)
{
    /// <summary>The rule of <paramref name="config"/>, with the seed and resamples the gate decides with (<see cref="GateRule"/>).</summary>
    public static VerdictRule Of(EvalConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var rule = GateRule.From(config.Gate);
        return new VerdictRule(rule.MaxCaseRegressions, rule.MaxMeanDrop, rule.Confidence, config.Trials, rule.Seed, rule.Resamples);
    }

    /// <summary>The values as one canonical JSON object (keys sorted, numbers round-tripped, -0 as 0): what is stored and hashed.</summary>
    public string Json => string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"confidence":{{Number(Confidence)}},"max_case_regressions":{{MaxCaseRegressions}},"max_mean_drop":{{Number(MaxMeanDrop)}},"resamples":{{Resamples}},"seed":{{Seed}},"trials":{{Trials}}}""");

    /// <summary>The sha256 of <see cref="Json"/>, lower-case hex: what a stored verdict is matched on.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Json)));

    /// <summary>
    /// The rule a stored verdict recorded (<see cref="Json"/>), or null when there is none or it cannot be read: a store's
    /// value is not trusted, and an unreadable rule is shown as such, never taken for today's.
    /// </summary>
    public static VerdictRule? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            return root.ValueKind != JsonValueKind.Object ? null : new VerdictRule(
                root.GetProperty("max_case_regressions").GetInt32(),
                root.GetProperty("max_mean_drop").GetDouble(),
                root.GetProperty("confidence").GetDouble(),
                root.GetProperty("trials").GetInt32(),
                root.GetProperty("seed").GetInt32(),
                root.GetProperty("resamples").GetInt32());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Each value that differs from <paramref name="other"/>, by its manifest name, this rule's value first:
    /// <c>("max_case_regressions", "100", "0")</c>. Empty when the two rules are the same.
    /// </summary>
    public IReadOnlyList<(string Name, string This, string Other)> Differences(VerdictRule other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var theirs = other.Values();
        return [.. Values().Select((v, i) => (v.Name, v.Value, theirs[i].Value)).Where(d => !string.Equals(d.Item2, d.Item3, StringComparison.Ordinal))];
    }

    /// <summary>Every value by its manifest name, as <see cref="Differences"/> compares them, in a fixed order.</summary>
    public IReadOnlyList<(string Name, string Value)> Values() =>
    [
        ("max_case_regressions", Int(MaxCaseRegressions)),
        ("max_mean_drop", Number(MaxMeanDrop)),
        ("confidence", Number(Confidence)),
        ("eval.trials", Int(Trials)),
        ("the mean rule's seed", Int(Seed)),
        ("the mean rule's resamples", Int(Resamples)),
    ];

    /// <summary>"max_case_regressions 100, now 0; max_mean_drop 1, now 0": this (a stored verdict's) rule against today's.</summary>
    public string AgainstToday(VerdictRule today) =>
        string.Join("; ", Differences(today).Select(d => $"{d.Name} {d.This}, now {d.Other}"));

    /// <summary>"max_case_regressions 0 → 100": how <paramref name="changed"/> differs from this (the earlier) rule.</summary>
    public string ChangedTo(VerdictRule changed) =>
        string.Join(", ", Differences(changed).Select(d => $"{d.Name} {d.This} → {d.Other}"));

    /// <summary>The values on one line: "max_case_regressions 0, max_mean_drop 0, confidence 0.95, eval.trials 10".</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"max_case_regressions {MaxCaseRegressions}, max_mean_drop {Number(MaxMeanDrop)}, confidence {Number(Confidence)}, eval.trials {Trials}");

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    // Round-trip text, so two rules that print alike are the same rule; -0 (a manifest's "-0.0") is 0.
    private static string Number(double value) => (value == 0 ? 0.0 : value).ToString("R", CultureInfo.InvariantCulture);
}
