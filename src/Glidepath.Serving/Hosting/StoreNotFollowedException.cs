using Glidepath.Errors;

namespace Glidepath.Serving.Hosting;

/// <summary>
/// The store file was replaced by another store that has no stable release for the environment: it is not followed (the
/// host goes on serving what it read before, fail static) until it has one.
/// </summary>
internal sealed class StoreNotFollowedException(string environment)
    : OperationalException($"the store file was replaced by another store (another store id) with no stable release for {environment}; not followed until it has one (deploy a release there, or put the old store back)");
