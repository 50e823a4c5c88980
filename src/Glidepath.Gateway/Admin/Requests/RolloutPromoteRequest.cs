namespace Glidepath.Gateway.Admin.Requests;

/// <summary><c>POST …/rollout/promote</c>: as <c>glidepath rollout promote --env E [--full] [--reason]</c>.</summary>
public sealed record RolloutPromoteRequest
{
    /// <summary>Straight to 100%: the canary becomes the stable release now.</summary>
    public bool Full { get; init; }
    public string? Reason { get; init; }
}
