namespace Glidepath.Gateway.Admin.Requests;

/// <summary>A change that takes only a reason: freeze (required), unfreeze, rollout pause, resume and abort; revoking a key or a token.</summary>
public sealed record ReasonRequest
{
    public string? Reason { get; init; }
}
