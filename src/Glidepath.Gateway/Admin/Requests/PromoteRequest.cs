using System.ComponentModel.DataAnnotations;

namespace Glidepath.Gateway.Admin.Requests;

/// <summary><c>POST …/promote</c>: as <c>glidepath promote REF --env E [--reason] [--force]</c>.</summary>
public sealed record PromoteRequest
{
    /// <summary>A registered release: v7, a hash prefix, env:NAME.</summary>
    [Required]
    public string? Release { get; init; }
    public string? Reason { get; init; }
    public bool Force { get; init; }
}
