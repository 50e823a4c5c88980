using Glidepath.Releases;

namespace Glidepath.Models;

/// <summary>Runs an <see cref="IModelSpecValidator"/> over a release's content.</summary>
public static class ModelSpecValidatorExtensions
{
    /// <summary>
    /// Refuses (exit 2) a release its provider could not serve, e.g. sim options out of range, with the same
    /// check the provider runs at serve time. Run before registering and before pointing traffic at a release.
    /// </summary>
    public static void EnsureServable(this IModelSpecValidator models, string canonicalJson) =>
        models.Validate(ReleaseSnapshot.FromCanonicalJson(canonicalJson).Model);
}
