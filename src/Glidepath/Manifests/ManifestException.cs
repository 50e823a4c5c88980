using Glidepath.Errors;

namespace Glidepath.Manifests;

/// <summary>All problems found in a manifest at once; exit code 2.</summary>
public sealed class ManifestException(IReadOnlyList<ManifestError> errors)
    : GlidepathException(string.Join(Environment.NewLine, errors), FailureKind.BadInput)
{
    public IReadOnlyList<ManifestError> Errors { get; } = errors;
}
