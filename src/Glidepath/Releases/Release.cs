namespace Glidepath.Releases;

/// <summary>
/// An immutable, content-addressed snapshot of a manifest's <c>release:</c> section and every file it
/// names. <see cref="Id"/> is the sha256 of <see cref="CanonicalJson"/>.
/// </summary>
public sealed record Release
{
    public required string Id { get; init; }
    public required string App { get; init; }
    public required int Version { get; init; }
    public required string CanonicalJson { get; init; }
    public string? GitCommit { get; init; }
    public bool Dirty { get; init; }
    public required string Author { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? Message { get; init; }

    /// <summary>
    /// The registration-order name, e.g. <c>v7</c>; a release not registered yet (version 0) is named by its ref
    /// (<c>working</c>, <c>git:HEAD</c>), so a refusal checked before registering names what the user typed.
    /// </summary>
    public string Name => Version == 0 ? Message ?? "working" : $"v{Version}";

    public string ShortId => Id[..8];

    /// <summary>The label used in headers and tables, e.g. <c>v7+3f9c2a1b</c>.</summary>
    public string Label => $"{Name}+{ShortId}";

    public ReleaseSnapshot Snapshot() => ReleaseSnapshot.FromCanonicalJson(CanonicalJson);
}
