namespace Glidepath.Models;

/// <summary>How a model client uses the store's response cache (evals only; live traffic never does).</summary>
public enum ResponseCacheMode
{
    /// <summary>No cache: every call goes to the provider and nothing is written.</summary>
    Off,

    /// <summary>An unexpired entry answers the call; a call the cache cannot answer goes to the provider and its answer is written.</summary>
    Use,

    /// <summary>
    /// Every call goes to the provider (an eval's <c>--no-cache</c>) and its answer replaces the entry, so the next run
    /// with the cache sees the newest answers rather than ones the fresh run superseded.
    /// </summary>
    Refresh,
}
