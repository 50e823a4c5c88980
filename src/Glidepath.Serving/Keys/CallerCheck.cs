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

    /// <summary>What is left of today's budget is held by this key's requests still in flight (<see cref="KeySpending.TryAdmit"/>).</summary>
    BudgetInFlight,

    /// <summary>The key has its share of the provider slots calling the model already (<see cref="ServingOptions.KeyMaxInFlight"/>).</summary>
    TooManyInFlight,
}

/// <summary>
/// The outcome of checking one request's key: the key when known, and how long to wait when over a limit.
/// <see cref="InFlight"/>: the request holds a place among its budgeted key's requests in flight, which the caller
/// gives back when the request ends (<see cref="CallerKeys.Done"/>).
/// </summary>
public readonly record struct CallerCheck(CallerCheckResult Result, ApiKey? Key, TimeSpan RetryAfter = default, bool InFlight = false)
{
    public bool Accepted => Result == CallerCheckResult.Accepted;
}
