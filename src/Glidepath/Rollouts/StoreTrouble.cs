namespace Glidepath.Rollouts;

/// <summary>
/// One episode of store trouble seen by a controller: what it was, since when, and until when (null while it lasts).
/// For a lease taken over, <paramref name="LapsedHolder"/> held it until it expired at <paramref name="LapsedAt"/>.
/// </summary>
internal sealed record StoreTrouble(StoreTroubleKind Kind, DateTimeOffset Since, DateTimeOffset? Until, string? LapsedHolder = null, DateTimeOffset? LapsedAt = null)
{
    /// <summary>Whether the episode still holds advancing at <paramref name="now"/>: it lasts, or its settle window has not passed.</summary>
    public bool HoldsAt(DateTimeOffset now, TimeSpan window) => Until is not { } until || now < until + window;
}
