using Glidepath.Manifests;

namespace Glidepath.Models;

/// <summary>
/// USD per million input/output (and prompt-cache) tokens by model name: built-in defaults for current Anthropic and
/// OpenAI models, overridden by the manifest's <c>prices:</c>. Lookups fall back to the longest
/// known prefix, so dated snapshots (<c>claude-sonnet-4-5-20250929</c>) price like their family.
/// </summary>
/// <remarks>
/// A price without cache prices gets them from its model's family: a Claude model (a name containing <c>claude</c>)
/// reads the cache at 0.1× and writes it at 1.25× its input price, 2× for the 1-hour cache (Anthropic's list
/// multipliers); any other model reads at 0.5× (OpenAI's smallest cached-input discount, so an OpenAI model's cost is
/// never below its list price) and writes at 1× (OpenAI bills no cache write), the 1-hour cache at its cache-write price.
/// </remarks>
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
        ["gpt-5"] = new(1.25, 10.0) { CacheRead = 0.125 },
        ["gpt-5-mini"] = new(0.25, 2.0) { CacheRead = 0.025 },
        ["gpt-5-nano"] = new(0.05, 0.4) { CacheRead = 0.005 },
        ["gpt-4.1"] = new(2.0, 8.0) { CacheRead = 0.5 },
        ["gpt-4.1-mini"] = new(0.4, 1.6) { CacheRead = 0.1 },
        ["gpt-4.1-nano"] = new(0.1, 0.4) { CacheRead = 0.025 },
        ["gpt-4o"] = new(2.5, 10.0) { CacheRead = 1.25 },
        ["gpt-4o-mini"] = new(0.15, 0.6) { CacheRead = 0.075 },
        ["o3"] = new(2.0, 8.0) { CacheRead = 0.5 },
        ["o4-mini"] = new(1.1, 4.4) { CacheRead = 0.275 },
    };

    private readonly Dictionary<string, ModelPrice> _prices;

    public PriceTable(IReadOnlyDictionary<string, ModelPrice>? overrides = null)
    {
        _prices = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, price) in Defaults)
        {
            _prices[name] = WithCachePrices(name, price);
        }

        foreach (var (name, price) in overrides ?? new Dictionary<string, ModelPrice>())
        {
            _prices[name] = WithCachePrices(name, price);
        }
    }

    /// <summary>The price with the cache prices it leaves unset filled from its model's family (see the remarks).</summary>
    public static ModelPrice WithCachePrices(string model, ModelPrice price)
    {
        var claude = model.Contains("claude", StringComparison.OrdinalIgnoreCase);
        var cacheWrite = price.CacheWrite ?? (double)((decimal)price.Input * (claude ? 1.25m : 1m));
        return price with
        {
            CacheRead = price.CacheRead ?? (double)((decimal)price.Input * (claude ? 0.1m : 0.5m)),
            CacheWrite = cacheWrite,
            CacheWrite1h = price.CacheWrite1h ?? (claude ? (double)((decimal)price.Input * 2m) : cacheWrite),
        };
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

    /// <summary>USD for one call's usage (missing counts are taken as zero), its prompt-cache tokens at the cache prices.</summary>
    public decimal? Cost(string model, Microsoft.Extensions.AI.UsageDetails? usage) => Find(model)?.Cost(usage);
}
