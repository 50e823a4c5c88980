using Glidepath.Manifests;

namespace Glidepath.Models;

/// <summary>Connection settings for a provider: the manifest's <c>providers:</c> overlaid with the environment's.</summary>
public static class ProviderSettingsResolver
{
    public static ProviderSettings Resolve(Manifest manifest, string provider, string? environment)
    {
        var settings = manifest.Providers.TryGetValue(provider, out var baseSettings) ? baseSettings : new ProviderSettings();
        if (environment is null)
        {
            return settings;
        }

        var env = manifest.FindEnvironment(environment)
            ?? throw Environments.EnvironmentService.UnknownEnvironment(manifest, environment);
        return env.Providers.TryGetValue(provider, out var overrides) ? settings.Merge(overrides) : settings;
    }
}
