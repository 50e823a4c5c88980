namespace Glidepath.Cli.Commands;

/// <summary>How <c>keys list</c> and <c>tokens list</c> (and their revoke lines) show a revocation: when, by whom, why.</summary>
internal static class RevocationColumns
{
    /// <summary>The cells "revoked (UTC)", "revoked by" and "reason": dashes while the credential works.</summary>
    public static IReadOnlyList<string> Of(DateTimeOffset? at, string? by, string? reason) => at is null
        ? ["-", "-", "-"]
        : [TableText.Time(at), by ?? "(not recorded)", reason ?? "-"];

    /// <summary>" by ACTOR (reason: …)" for a one-line message; a revocation from before the store recorded who gives "".</summary>
    public static string ByAndWhy(string? by, string? reason) =>
        (by is null ? "" : $" by {by}") + (reason is null ? "" : $" (reason: {reason})");
}
