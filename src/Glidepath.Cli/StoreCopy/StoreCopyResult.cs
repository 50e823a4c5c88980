namespace Glidepath.Cli.StoreCopy;

/// <summary>What <c>glidepath store copy</c> copied: rows and checksum per table, the same on both sides.</summary>
internal sealed record StoreCopyResult(string From, string To, string StoreId, IReadOnlyList<TableCopy> Tables);

/// <summary>One table copied and verified: its row count and the SHA-256 of its rows (in canonical form, sorted).</summary>
internal sealed record TableCopy(string Table, long Rows, string Checksum);
