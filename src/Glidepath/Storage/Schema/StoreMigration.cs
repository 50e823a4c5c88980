namespace Glidepath.Storage.Schema;

/// <summary>What <c>glidepath store migrate</c> did to one store: its version before and after, and the migrations it applied.</summary>
public sealed record StoreMigration(string Location, int FromVersion, int ToVersion, IReadOnlyList<string> Applied);
