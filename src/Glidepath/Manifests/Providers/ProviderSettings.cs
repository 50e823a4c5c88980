namespace Glidepath.Manifests;

/// <summary>How to connect to a provider. Not part of a release; secrets only by environment-variable name.</summary>
public sealed record ProviderSettings
{
    public string? BaseUrl { get; init; }
    public string? ApiKeyEnv { get; init; }
    public TimeSpan? Timeout { get; init; }
    public int? MaxRetries { get; init; }
    public int? MaxConcurrency { get; init; }

    public static readonly IReadOnlyList<string> KnownKeys = ["base_url", "api_key_env", "timeout", "max_retries", "max_concurrency"];

    /// <summary>Overlays the non-null settings of <paramref name="other"/> on this one.</summary>
    public ProviderSettings Merge(ProviderSettings? other) => other is null ? this : new ProviderSettings
    {
        BaseUrl = other.BaseUrl ?? BaseUrl,
        ApiKeyEnv = other.ApiKeyEnv ?? ApiKeyEnv,
        Timeout = other.Timeout ?? Timeout,
        MaxRetries = other.MaxRetries ?? MaxRetries,
        MaxConcurrency = other.MaxConcurrency ?? MaxConcurrency,
    };
}
