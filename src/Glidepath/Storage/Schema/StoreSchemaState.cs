namespace Glidepath.Storage.Schema;

/// <summary>How a store's applied migrations compare with the ones this binary knows.</summary>
public enum StoreSchemaState
{
    /// <summary>No migration applied: a new store, which an open that may create builds at the current version.</summary>
    Fresh,

    /// <summary>Every known migration applied and no other: safe to read and write.</summary>
    Current,

    /// <summary>Some known migration not applied yet: <c>glidepath store migrate</c> brings it up to date.</summary>
    Outdated,

    /// <summary>A migration this binary does not know was applied: a newer Glidepath owns the store.</summary>
    Newer,
}
