namespace Glidepath.Storage;

/// <summary>What <c>glidepath store backup</c> copied: the store, its schema version and the copy's size, verified.</summary>
public sealed record StoreBackup(string From, string To, string StoreId, int SchemaVersion, long Bytes);
