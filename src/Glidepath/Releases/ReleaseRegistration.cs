namespace Glidepath.Releases;

/// <summary>
/// The result of registering a draft: the release (new or existing), whether it was created, and the provenance
/// record this registration added (null when an identical record was already there).
/// </summary>
public sealed record ReleaseRegistration(Release Release, bool Created, ReleaseProvenance? NewProvenance);
