using System.ComponentModel.DataAnnotations;

namespace Glidepath.Gateway.Admin.Requests;

/// <summary><c>POST …/tokens</c>: as <c>glidepath tokens create --env E --role R --name N</c>.</summary>
public sealed record TokenCreateRequest
{
    [Required]
    public string? Name { get; init; }

    /// <summary>viewer, deployer, owner or admin.</summary>
    [Required]
    public string? Role { get; init; }
}
