using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glidepath.Errors;
using Glidepath.Manifests;

namespace Glidepath.Providers.Sim;

/// <summary>
/// The sim's <c>release.model.options</c>: seed, latency and injected faults. Validated up front so a
/// typo fails <c>model try</c> and the eval, not a demo halfway through.
/// </summary>
internal sealed record SimOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] Keys = ["seed", "latency_scale", "first_token_ms", "tokens_per_second", "faults"];
    private static readonly string[] FaultKeys = ["error_rate", "timeout_rate", "slow_first_token_ms", "off_policy_rate"];

    public long Seed { get; init; }
    public double LatencyScale { get; init; } = 1.0;
    public double FirstTokenMs { get; init; } = 300;
    public double TokensPerSecond { get; init; } = 40;
    public double ErrorRate { get; init; }
    public double TimeoutRate { get; init; }
    public double SlowFirstTokenMs { get; init; }
    public double OffPolicyRate { get; init; }

    public static SimOptions Parse(ModelSpec model)
    {
        var o = model.Options;
        foreach (var key in o.Keys.Where(k => !Keys.Contains(k)))
        {
            throw Bad(key, $"unknown sim option; expected one of {string.Join(", ", Keys)}");
        }

        var options = new SimOptions
        {
            Seed = o.TryGetValue("seed", out var seed) && seed is not null ? (long)Number("seed", seed, long.MinValue, long.MaxValue, integer: true) : model.Parameters.Seed ?? 0,
            LatencyScale = Get(o, "latency_scale", 1.0, 0, 100),
            FirstTokenMs = Get(o, "first_token_ms", 300, 0, 600_000),
            TokensPerSecond = Get(o, "tokens_per_second", 40, 0.01, 100_000),
        };

        if (!o.TryGetValue("faults", out var faultsNode) || faultsNode is null)
        {
            return options;
        }

        if (faultsNode is not JsonObject faults)
        {
            throw Bad("faults", "expected a map such as { error_rate: 0.1, timeout_rate: 0, slow_first_token_ms: 0, off_policy_rate: 0 }");
        }

        var dict = faults.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        foreach (var key in dict.Keys.Where(k => !FaultKeys.Contains(k)))
        {
            throw Bad("faults." + key, $"unknown fault; expected one of {string.Join(", ", FaultKeys)}");
        }

        return options with
        {
            ErrorRate = Get(dict, "error_rate", 0, 0, 1, "faults."),
            TimeoutRate = Get(dict, "timeout_rate", 0, 0, 1, "faults."),
            SlowFirstTokenMs = Get(dict, "slow_first_token_ms", 0, 0, 600_000, "faults."),
            OffPolicyRate = Get(dict, "off_policy_rate", 0, 0, 1, "faults."),
        };
    }

    private static double Get(IReadOnlyDictionary<string, JsonNode?> o, string key, double fallback, double min, double max, string prefix = "") =>
        o.TryGetValue(key, out var node) && node is not null ? Number(prefix + key, node, min, max, integer: false) : fallback;

    private static double Number(string key, JsonNode node, double min, double max, bool integer)
    {
        double value;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            value = double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        else if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String &&
                 double.TryParse(s.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
        }
        else
        {
            throw Bad(key, $"expected a number, found {node.ToJsonString()}");
        }

        if (double.IsNaN(value) || value < min || value > max || (integer && Math.Abs(value % 1) > 0))
        {
            var range = integer ? "an integer" : $"a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
            throw Bad(key, $"expected {range}, found {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    private static BadInputException Bad(string key, string message) => new($"release.model.options.{key}: {message}");
}
