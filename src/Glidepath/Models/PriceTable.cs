using Glidepath.Manifests;

namespace Glidepath.Models;

/// <summary>
/// USD per million input/output tokens by model name: built-in defaults for current Anthropic and
/// OpenAI models, overridden by the manifest's <c>prices:</c>. Lookups fall back to the longest
/// known prefix, so dated snapshots (<c>claude-sonnet-4-5-20250929</c>) price like their family.
/// </summary>
public sealed class PriceTable
{
    /// <summary>List prices at the time of writing; the manifest overrides any of them.</summary>
    public static readonly IReadOnlyDictionary<string, ModelPrice> Defaults = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-opus-4-5"] = new(5.0, 25.0),
        ["claude-opus-4-1"] = new(15.0, 75.0),
        ["claude-opus-4"] = new(15.0, 75.0),
        ["claude-sonnet-4-5"] = new(3.0, 15.0),
        ["claude-sonnet-4"] = new(3.0, 15.0),
        ["claude-3-7-sonnet"] = new(3.0, 15.0),
        ["claude-haiku-4-5"] = new(1.0, 5.0),
        ["claude-3-5-haiku"] = new(0.8, 4.0),
        ["gpt-5"] = new(1.25, 10.0),
        ["gpt-5-mini"] = new(0.25, 2.0),
        ["gpt-5-nano"] = new(0.05, 0.4),
        ["gpt-4.1"] = new(2.0, 8.0),
        ["gpt-4.1-mini"] = new(0.4, 1.6),
        ["gpt-4.1-nano"] = new(0.1, 0.4),
        ["gpt-4o"] = new(2.5, 10.0),
        ["gpt-4o-mini"] = new(0.15, 0.6),
        ["o3"] = new(2.0, 8.0),
        ["o4-mini"] = new(1.1, 4.4),
    };

    private readonly Dictionary<string, ModelPrice> _prices;

    public PriceTable(IReadOnlyDictionary<string, ModelPrice>? overrides = null)
    {
        _prices = new Dictionary<string, ModelPrice>(Defaults, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, price) in overrides ?? new Dictionary<string, ModelPrice>())
        {
            _prices[name] = price;
        }
    }

    /// <summary>The table for a manifest: defaults plus its <c>prices:</c>.</summary>
    public static PriceTable For(Manifest manifest) => new(manifest.Prices);

    /// <summary>The price of a model: exact name first, then the longest known name it starts with.</summary>
    public ModelPrice? Find(string model)
    {
        if (_prices.TryGetValue(model, out var exact))
        {
            return exact;
        }

        ModelPrice? best = null;
        var bestLength = 0;
        foreach (var (name, price) in _prices)
        {
            if (name.Length > bestLength && model.StartsWith(name, StringComparison.OrdinalIgnoreCase) &&
                (model.Length == name.Length || model[name.Length] is '-' or '@' or ':' or '.'))
            {
                best = price;
                bestLength = name.Length;
            }
        }

        return best;
    }

    /// <summary>USD for one call, or null when the model has no known price (cost unknown is not zero).</summary>
    public decimal? Cost(string model, long inputTokens, long outputTokens)
    {
        return Find(model)?.Cost(inputTokens, outputTokens);
    }

    /// <summary>
    /// A recorded call's cost, or null when it is unknown: a trace records 0 for a call whose model has no price, so 0
    /// for a model this table does not price (and nothing reported a cost) is "unknown", never "free". Online
    /// <c>max_cost</c> is then an error, not a pass, and the trace views show no figure.
    /// </summary>
    public double? Known(string? model, double recordedUsd) =>
        recordedUsd == 0 && (model is null || Find(model) is null) ? null : recordedUsd;

    /// <summary>USD for one call's usage (missing counts are taken as zero).</summary>
    public decimal? Cost(string model, Microsoft.Extensions.AI.UsageDetails? usage) =>
        Cost(model, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0);
}
