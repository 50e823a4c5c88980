using System.Globalization;
using Glidepath.Models;
using Glidepath.Routing;

namespace Glidepath.Serving.Keys;

/// <summary>
/// How many requests one caller's key may have calling the model at once on this gateway, and what set the figure (the
/// 429 names it).
/// </summary>
/// <param name="Slots">The key's share: requests calling the model at once.</param>
/// <param name="Provider">The provider whose <c>max_concurrency</c> set it (half of it); null when set by <see cref="ServingOptions.KeyMaxInFlight"/>.</param>
/// <param name="ProviderSlots">That provider's <c>max_concurrency</c> (its default when the manifest leaves it unset).</param>
/// <param name="Configured">Whether the manifest sets that provider's <c>max_concurrency</c> (else its default counted).</param>
internal sealed record KeyConcurrencyShare(int Slots, string? Provider, int ProviderSlots, bool Configured = true)
{
    /// <summary>A provider's <c>max_concurrency</c> when the manifest sets none (<c>ModelClientDefaults.MaxConcurrency</c>).</summary>
    private const int ProviderDefault = 16;

    /// <summary>
    /// <see cref="ServingOptions.KeyMaxInFlight"/> when set; else half of the smallest <c>max_concurrency</c> among the
    /// providers the releases routed in <paramref name="table"/> use (stable and canary), at least 1: no key can hold every
    /// slot of any provider its requests may reach, whichever arm it lands on. Before a table is loaded (or one that routes
    /// no release), among every provider the manifest configures for the environment (16 when it configures none or leaves
    /// it unset). A provider no routed release uses does not count (outside trial segments M2: the sample's unused
    /// <c>anthropic</c> entry, at its default 16, held every key to 8 while the releases' provider had 128 slots).
    /// </summary>
    public static KeyConcurrencyShare Of(ServingOptions options, RoutingTable? table = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.KeyMaxInFlight is { } set)
        {
            return new KeyConcurrencyShare(set, null, 0);
        }

        var manifest = options.Manifest;
        var routed = new[] { table?.Stable?.Snapshot.Model.Provider, table?.Canary?.Release.Snapshot.Model.Provider }.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var names = routed.Count > 0 ? routed : manifest.Providers.Keys.Concat(manifest.FindEnvironment(options.Environment)?.Providers.Keys ?? []).Distinct(StringComparer.Ordinal).ToList();
        (string? Name, int Slots, bool Configured) smallest = (null, ProviderDefault, false);
        foreach (var name in names)
        {
            var configured = ProviderSettingsResolver.Resolve(manifest, name, options.Environment).MaxConcurrency;
            var slots = configured ?? ProviderDefault;
            if (smallest.Name is null || slots < smallest.Slots)
            {
                smallest = (name, slots, configured is not null);
            }
        }

        return new KeyConcurrencyShare(Math.Max(1, smallest.Slots / 2), smallest.Name, smallest.Slots, smallest.Configured);
    }

    /// <summary>What set the share, for the 429: "half of providers.openai.max_concurrency 128, the smallest among the providers its requests may reach".</summary>
    public string Source => Provider is null
        ? (ProviderSlots == 0 ? "ServingOptions.KeyMaxInFlight" : string.Create(CultureInfo.InvariantCulture, $"half of the default max_concurrency {ProviderSlots}"))
        : Configured
            ? string.Create(CultureInfo.InvariantCulture, $"half of providers.{Provider}.max_concurrency {ProviderSlots}, the smallest among the providers its requests may reach")
            : string.Create(CultureInfo.InvariantCulture, $"half of provider {Provider}'s max_concurrency, unset so {ProviderSlots}, the smallest among the providers its requests may reach");
}
