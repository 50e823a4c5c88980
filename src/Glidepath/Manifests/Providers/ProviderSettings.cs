namespace Glidepath.Manifests;

/// <summary>How to connect to a provider. Not part of a release; secrets only by environment-variable name.</summary>
public sealed record ProviderSettings
{
    /// <summary>Retries after the first attempt when <c>max_retries</c> is left out (the sim's default is 0).</summary>
    public const int DefaultMaxRetries = 3;

    public string? BaseUrl { get; init; }
    public string? ApiKeyEnv { get; init; }
    public TimeSpan? Timeout { get; init; }
    public int? MaxRetries { get; init; }
    public int? MaxConcurrency { get; init; }

    /// <summary>
    /// Anthropic beta names (<c>context-1m-2025-08-07</c>) a caller's <c>anthropic-beta</c> header may turn on for a
    /// request the gateway forwards as it came: the operator's choice, since a beta can change what a request costs or
    /// whether the provider accepts it. Names not listed are dropped, as the whole header is when the list is empty.
    /// </summary>
    public IReadOnlyList<string>? CallerBetas { get; init; }

    public static readonly IReadOnlyList<string> KnownKeys = ["base_url", "api_key_env", "timeout", "max_retries", "max_concurrency", "caller_betas"];

    /// <summary>Overlays the non-null settings of <paramref name="other"/> on this one.</summary>
    public ProviderSettings Merge(ProviderSettings? other) => other is null ? this : new ProviderSettings
    {
        BaseUrl = other.BaseUrl ?? BaseUrl,
        ApiKeyEnv = other.ApiKeyEnv ?? ApiKeyEnv,
        Timeout = other.Timeout ?? Timeout,
        MaxRetries = other.MaxRetries ?? MaxRetries,
        MaxConcurrency = other.MaxConcurrency ?? MaxConcurrency,
        CallerBetas = other.CallerBetas ?? CallerBetas,
    };
}
