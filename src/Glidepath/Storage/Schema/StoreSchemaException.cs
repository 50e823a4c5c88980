using Glidepath.Errors;

namespace Glidepath.Storage.Schema;

/// <summary>
/// A store whose schema this binary must not use: older (run <c>glidepath store migrate</c>) or newer (upgrade
/// Glidepath). Operational (exit 3): nothing was read or written.
/// </summary>
public sealed class StoreSchemaException(StoreSchemaState state, int storeVersion, int knownVersion, string message)
    : OperationalException(message)
{
    public StoreSchemaState State { get; } = state;

    /// <summary>The highest migration the store has applied.</summary>
    public int StoreVersion { get; } = storeVersion;

    /// <summary>The highest migration this binary ships.</summary>
    public int KnownVersion { get; } = knownVersion;
}
