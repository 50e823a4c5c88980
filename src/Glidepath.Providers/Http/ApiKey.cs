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

    /// <summary>The shortest run of a key's characters that <see cref="Scrub"/> removes on its own (a shorter key: the whole key).</summary>
    public const int MinFragment = 8;

    /// <summary>The shortest end of a key that <see cref="Scrub"/> removes: how providers show a key (<c>…wxyz</c>), with margin.</summary>
    public const int MinTail = 6;

    /// <summary>
    /// Removes the key, every run of at least <see cref="MinFragment"/> of its consecutive characters and its last
    /// <see cref="MinTail"/> or more, in any case, from text that may be shown or logged: providers echo a key whole,
    /// cut (<c>sk-abc...wxyz</c>), as a long prefix, or upper-cased. Runs only on error text, never on an answer.
    /// </summary>
    public static string Scrub(string text, string? key)
    {
        if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(text))
        {
            return text;
        }

        var min = Math.Min(MinFragment, key.Length);
        var minTail = Math.Min(MinTail, key.Length);
        var hidden = new bool[text.Length];
        var any = false;

        // Longest common substring ending at each (text[i], key[j]), one row at a time: O(text × key) on an error path.
        var previous = new int[key.Length + 1];
        var current = new int[key.Length + 1];
        for (var i = 0; i < text.Length; i++)
        {
            var longest = 0;
            var t = char.ToUpperInvariant(text[i]);
            for (var j = 0; j < key.Length; j++)
            {
                current[j + 1] = t == char.ToUpperInvariant(key[j]) ? previous[j] + 1 : 0;
                longest = Math.Max(longest, current[j + 1]);
            }

            var run = longest >= min ? longest : current[key.Length] >= minTail ? current[key.Length] : 0;
            if (run > 0)
            {
                Array.Fill(hidden, true, i - run + 1, run);
                any = true;
            }

            (previous, current) = (current, previous);
        }

        if (!any)
        {
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (!hidden[i])
            {
                sb.Append(text[i]);
            }
            else if (i == 0 || !hidden[i - 1])
            {
                sb.Append("[redacted]");
            }
        }

        return sb.ToString();
    }
}
