using Glidepath.Keys;

namespace Glidepath.Serving.Keys;

/// <summary>Why a caller's key was or was not accepted.</summary>
public enum CallerCheckResult
{
    Accepted,
    Missing,
    Unknown,
    Revoked,
    OtherEnvironment,
    RateLimited,
    OverBudget,
}

/// <summary>The outcome of checking one request's key: the key when known, and how long to wait when over a limit.</summary>
public readonly record struct CallerCheck(CallerCheckResult Result, ApiKey? Key, TimeSpan RetryAfter = default)
{
    public bool Accepted => Result == CallerCheckResult.Accepted;
}
