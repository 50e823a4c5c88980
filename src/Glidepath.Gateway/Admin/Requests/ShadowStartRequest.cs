using System.ComponentModel.DataAnnotations;

namespace Glidepath.Gateway.Admin.Requests;

/// <summary><c>POST …/shadow/start</c>: as <c>glidepath shadow start REF --env E --rate R [--max-cost-usd] [--max-requests] [--reason]</c>.</summary>
public sealed record ShadowStartRequest
{
    /// <summary>A registered release: v7, a hash prefix, env:NAME.</summary>
    [Required]
    public string? Release { get; init; }

    /// <summary>The share of the stable arm's requests mirrored, from 0.000001 to 1.</summary>
    [Required]
    public double? Rate { get; init; }
    public double? MaxCostUsd { get; init; }
    public long? MaxRequests { get; init; }
    public string? Reason { get; init; }
}
