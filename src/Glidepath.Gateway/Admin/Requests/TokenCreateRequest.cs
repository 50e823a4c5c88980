namespace Glidepath.Gateway.Admin.Requests;

/// <summary><c>POST …/tokens</c>: as <c>glidepath tokens create --env E --role R --name N</c>.</summary>
public sealed record TokenCreateRequest
{
    public string? Name { get; init; }

    /// <summary>viewer, deployer, owner or admin.</summary>
    public string? Role { get; init; }
}
