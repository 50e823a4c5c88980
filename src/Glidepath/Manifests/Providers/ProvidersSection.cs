using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Glidepath.Manifests;

/// <summary>
/// Reads a <c>providers:</c> mapping (top level, or an environment's overrides) into <see cref="ProviderSettings"/>
/// by provider name. Secrets are accepted only as the name of an environment variable.
/// </summary>
internal static class ProvidersSection
{
    /// <summary>The providers a model may name and <c>providers:</c> may configure.</summary>
    public static readonly string[] Names = [.. Glidepath.Models.ProviderNames.All];

    public static Dictionary<string, ProviderSettings> Parse(YamlNodeReader r, YamlNode? node, string where)
    {
        var result = new Dictionary<string, ProviderSettings>(StringComparer.Ordinal);
        if (r.Mapping(node, where) is not { } map)
        {
            return result;
        }

        r.CheckKeys(map, where, Names);
        foreach (var (name, v) in r.Entries(map, where, reportOthers: false))
        {
            if (r.Mapping(v, $"{where}.{name}") is not { } pm)
            {
                continue;
            }

            r.CheckKeys(pm, $"{where}.{name}", ProviderSettings.KnownKeys.ToArray());
            var baseUrl = r.String(YamlNodeReader.Get(pm, "base_url"), "base_url");
            Uri? parsed = null;
            if (baseUrl is not null && !Uri.TryCreate(baseUrl, UriKind.Absolute, out parsed))
            {
                r.Error(YamlNodeReader.Get(pm, "base_url"), $"base_url '{Glidepath.Errors.ShownUrl.Of(baseUrl)}' is not an absolute URL; expected e.g. https://api.openai.com/v1");
            }
            else if (parsed is not null && parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            {
                // "user:pass@host" parses as scheme "user" with the password in its path: only http(s) reaches a provider.
                r.Error(YamlNodeReader.Get(pm, "base_url"), $"base_url must be an http:// or https:// URL; expected e.g. https://api.openai.com/v1");
            }
            else if (parsed is { UserInfo.Length: > 0 })
            {
                // The HTTP client never sends a user part, and the manifest is shared (git, CI): a password there is only
                // a secret in the repository that errors would show.
                r.Error(YamlNodeReader.Get(pm, "base_url"), $"base_url '{Glidepath.Errors.ShownUrl.Of(parsed)}' carries a user name or password ('…@'); it is never sent and the manifest is no place for a secret: remove it and give the provider's key in the environment variable api_key_env names");
            }

            var keyEnv = r.String(YamlNodeReader.Get(pm, "api_key_env"), "api_key_env");
            if (keyEnv is not null && !Regex.IsMatch(keyEnv, "^[A-Za-z_][A-Za-z0-9_]*\\z"))
            {
                r.Error(YamlNodeReader.Get(pm, "api_key_env"), "api_key_env must name an environment variable (letters, digits, '_'); never put a key itself in the manifest");
            }

            result[name] = new ProviderSettings
            {
                BaseUrl = baseUrl,
                ApiKeyEnv = keyEnv,
                Timeout = r.Duration(YamlNodeReader.Get(pm, "timeout"), "timeout"),
                MaxRetries = r.Int(YamlNodeReader.Get(pm, "max_retries"), "max_retries", 0, 20),
                MaxConcurrency = r.Int(YamlNodeReader.Get(pm, "max_concurrency"), "max_concurrency", 1, 10_000),
                CallerBetas = CallerBetas(r, YamlNodeReader.Get(pm, "caller_betas"), name),
            };
        }

        return result;
    }

    /// <summary><c>caller_betas</c>: a list of beta names (lower-case letters, digits and '-'), only under <c>anthropic</c>.</summary>
    private static List<string>? CallerBetas(YamlNodeReader r, YamlNode? node, string provider)
    {
        if (YamlNodeReader.IsNull(node))
        {
            return null;
        }

        if (provider != "anthropic")
        {
            r.Error(node, $"caller_betas is Anthropic's (the anthropic-beta header); '{provider}' takes none");
            return null;
        }

        if (node is not YamlSequenceNode list)
        {
            r.Error(node, $"caller_betas is {YamlNodeReader.Found(node)}; expected a list of beta names, e.g. [context-1m-2025-08-07]");
            return null;
        }

        var names = new List<string>();
        foreach (var item in list.Children)
        {
            if (item is YamlScalarNode { Value: { } name } && Regex.IsMatch(name, "^[a-z][a-z0-9-]{0,63}\\z"))
            {
                names.Add(name);
            }
            else
            {
                r.Error(item, $"caller_betas has {YamlNodeReader.Found(item)}; expected a beta name (lower-case letters, digits and '-', at most 64), e.g. context-1m-2025-08-07");
            }
        }

        return names;
    }
}
