using Glidepath.Models;

namespace Glidepath.Serving.Keys;

/// <summary>How many requests one caller's key may have calling the model at once on this gateway.</summary>
internal static class KeyConcurrencyShare
{
    /// <summary>A provider's <c>max_concurrency</c> when the manifest sets none (<c>ModelClientDefaults.MaxConcurrency</c>).</summary>
    private const int ProviderDefault = 16;

    /// <summary>
    /// <see cref="ServingOptions.KeyMaxInFlight"/> when set; else half of the smallest <c>max_concurrency</c> among the
    /// providers the manifest configures for the environment (16 when it configures none or leaves it unset), at least 1:
    /// no key can hold every slot of any provider its requests may reach, whichever arm it lands on.
    /// </summary>
    public static int Of(ServingOptions options)
    {
        if (options.KeyMaxInFlight is { } set)
        {
            return set;
        }

        var manifest = options.Manifest;
        var names = manifest.Providers.Keys.Concat(manifest.FindEnvironment(options.Environment)?.Providers.Keys ?? []);
        int? smallest = null;
        foreach (var name in names)
        {
            var slots = ProviderSettingsResolver.Resolve(manifest, name, options.Environment).MaxConcurrency ?? ProviderDefault;
            smallest = Math.Min(smallest ?? slots, slots);
        }

        return Math.Max(1, (smallest ?? ProviderDefault) / 2);
    }
}
