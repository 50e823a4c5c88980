namespace Glidepath.Gateway.Admin.Requests;

/// <summary><c>POST …/rollback</c>: as <c>glidepath rollback --env E [--to REF] [--reason]</c>.</summary>
public sealed record RollbackRequest
{
    /// <summary>Roll back further, to this known-good release; null: the previous one.</summary>
    public string? To { get; init; }
    public string? Reason { get; init; }

    /// <summary>The environment's revision the caller looked at; when it has changed since, nothing is rolled back (409 naming the change).</summary>
    public long? ExpectedRevision { get; init; }
}
