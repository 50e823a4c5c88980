using Glidepath.Manifests;

namespace Glidepath.Models;

/// <summary>
/// Checks a release's model spec (provider options included) exactly as its provider will when serving it,
/// so a release that could never serve is refused when it is registered. Implemented in Glidepath.Providers.
/// </summary>
public interface IModelSpecValidator
{
    /// <summary>Throws <see cref="Errors.BadInputException"/> naming the bad setting and what was expected.</summary>
    void Validate(ModelSpec model);
}
