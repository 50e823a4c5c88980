namespace Glidepath.Releases;

/// <summary>
/// Where one registration of a release came from: the git commit, whether the work tree had uncommitted changes,
/// who registered it, why and when. A release keeps every distinct record, oldest first.
/// </summary>
public sealed record ReleaseProvenance
{
    public required string ReleaseId { get; init; }

    /// <summary>Order among the release's records, from 1; set by the store.</summary>
    public int Sequence { get; init; }
    public string? GitCommit { get; init; }
    public bool Dirty { get; init; }
    public required string Author { get; init; }
    public string? Message { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>True when a clean commit holds exactly this content (the work tree matched the commit).</summary>
    public bool IsCleanCommit => GitCommit is not null && !Dirty;

    /// <summary>The commit shortened to 10 hex digits with its state, e.g. <c>commit 4e9c353f1f (clean)</c>, or <c>no git commit</c>.</summary>
    public string CommitLabel => GitCommit is null ? "no git commit" : $"commit {GitCommit[..Math.Min(10, GitCommit.Length)]} ({(Dirty ? "dirty" : "clean")})";

    /// <summary>Where the release was recorded, for a sentence: <c>at commit 4e9c353f1f (clean)</c> or <c>without a git commit</c>.</summary>
    public string At => GitCommit is null ? "without a git commit" : "at " + CommitLabel;

    /// <summary>The provenance a draft carries.</summary>
    public static ReleaseProvenance From(ReleaseDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return new()
        {
            ReleaseId = draft.Id,
            GitCommit = draft.GitCommit,
            Dirty = draft.Dirty,
            Author = draft.Author,
            Message = draft.Message,
            RecordedAt = draft.CreatedAt,
        };
    }

    /// <summary>Same commit, dirty flag, author and message: registering again adds nothing new.</summary>
    public bool SameOrigin(ReleaseProvenance other) =>
        other is not null && GitCommit == other.GitCommit && Dirty == other.Dirty && Author == other.Author && Message == other.Message;
}
