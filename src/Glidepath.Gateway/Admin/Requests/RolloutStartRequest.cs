using System.ComponentModel.DataAnnotations;

namespace Glidepath.Gateway.Admin.Requests;

/// <summary><c>POST …/rollout/start</c>: as <c>glidepath rollout start REF --env E [--steps] [--min-requests] [--max-duration] [--force --reason] [--require-shadow]</c>.</summary>
public sealed record RolloutStartRequest
{
    /// <summary>A registered release: v7, a hash prefix, env:NAME.</summary>
    [Required]
    public string? Release { get; init; }

    /// <summary>Canary percentages, e.g. "1,5,25"; null: the manifest's rollout.steps.</summary>
    public string? Steps { get; init; }
    public int? MinRequests { get; init; }

    /// <summary>A step's time limit, e.g. "10m"; null: rollout.step.max_duration.</summary>
    public string? MaxDuration { get; init; }
    public string? Reason { get; init; }
    public bool Force { get; init; }

    /// <summary>Refuse unless a shadow of the release against the environment's stable release has passed; <c>force</c> does not override it.</summary>
    public bool RequireShadow { get; init; }
}
