namespace Glidepath.Releases;

/// <summary>
/// A ref resolved without registering it (<see cref="ReleaseResolver.ResolveRefAsync"/>): the release as a command checks
/// it (version 0 when its content is not stored yet) and, for <c>working</c> and <c>git:REV</c>, the draft that
/// <see cref="ReleaseResolver.RegisterAsync"/> registers, so the release registered is the one checked and the working
/// tree is read (and <c>git</c> run) once.
/// </summary>
/// <param name="Release">The release the ref names, stored or as a draft shown unregistered.</param>
/// <param name="Draft">The draft built from the working tree or a git revision; null for a ref to a stored release.</param>
public sealed record ResolvedRef(Release Release, ReleaseDraft? Draft);
