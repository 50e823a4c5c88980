using Glidepath.Errors;
using Glidepath.Manifests;

namespace Glidepath.Providers.Http;

/// <summary>Reads a provider's API key from the environment variable its settings name. The key itself is never stored or logged.</summary>
internal static class ApiKey
{
    public static string? Resolve(string provider, ProviderSettings settings, Func<string, string?> getEnv, bool required)
    {
        if (string.IsNullOrWhiteSpace(settings.ApiKeyEnv))
        {
            return required
                ? throw new ProviderException(provider, null,
                    $"no API key configured; set providers.{provider}.api_key_env in glidepath.yaml to the name of an environment variable holding the key",
                    ProviderFailure.Configuration)
                : null;
        }

        var value = getEnv(settings.ApiKeyEnv);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ProviderException(provider, null,
                $"environment variable {settings.ApiKeyEnv} is not set; export it with the provider's API key (providers.{provider}.api_key_env names it)",
                ProviderFailure.Configuration);
        }

        return value.Trim();
    }

    /// <summary>Removes the key (and its common display forms) from text that may be shown or logged.</summary>
    public static string Scrub(string text, string? key)
    {
        if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = text.Replace(key, "[redacted]", StringComparison.Ordinal);

        // Providers sometimes echo a key partially ("sk-abc...wxyz"); drop any long fragment of it too.
        if (key.Length >= 12)
        {
            text = text.Replace(key[..8], "[redacted]", StringComparison.Ordinal);
            text = text.Replace(key[^6..], "[redacted]", StringComparison.Ordinal);
        }

        return text;
    }
}
