using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// Logs refused credentials of the admin API and the dashboard: why, the credential's public part (never its secret),
/// the remote address and the path. A flood (a scanner, a client retrying a revoked token) is one line per reason a
/// minute, the next line saying how many were held back since the last, as <c>TraceDropReport</c> counts drops.
/// </summary>
internal sealed partial class RefusedCredentialLog(TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>The longest path logged: a path is the caller's text, and a line is not a place for a document.</summary>
    public const int MaxPathLength = 200;

    private readonly Entry[] _entries = [.. Enum.GetValues<RefusedCredential>().Select(_ => new Entry())];

    public void Refused(TokenRefusal refusal, HttpContext http)
    {
        var entry = _entries[(int)refusal.Reason];
        var now = time.GetUtcNow();
        long heldBack;
        lock (entry)
        {
            if (entry.Last is { } last && now - last < Interval)
            {
                entry.HeldBack++;
                return;
            }

            heldBack = entry.HeldBack;
            (entry.HeldBack, entry.Last) = (0, now);
        }

        LogRefused(logger, Name(refusal.Reason), refusal.Detail, refusal.Credential, http.Connection.RemoteIpAddress?.ToString() ?? "-", Printable(http.Request.Path.Value), heldBack);
    }

    private static string Name(RefusedCredential reason) => reason switch
    {
        RefusedCredential.UnknownToken => "unknown_token",
        RefusedCredential.RevokedToken => "revoked_token",
        RefusedCredential.MalformedToken => "malformed_token",
        RefusedCredential.CallerKey => "caller_key",
        RefusedCredential.NotAccepted => "not_accepted",
        RefusedCredential.ExpiredJwt => "expired_jwt",
        RefusedCredential.InvalidJwt => "invalid_jwt",
        RefusedCredential.UnusableActor => "unusable_actor",
        _ => "refused",
    };

    /// <summary>The path as the caller sent it, decoded: what is not printable (a forged line break) escaped, a long one cut.</summary>
    private static string Printable(string? path) =>
        string.IsNullOrEmpty(path) ? "/" : Glidepath.Environments.RecordedText.Escaped(path.Length > MaxPathLength ? path[..MaxPathLength] + "…" : path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential refused: {Reason} ({Detail}); credential {Credential}, from {RemoteAddress}, path {Path}; {HeldBack} more refused for this reason since the last such line (at most one a minute)")]
    private static partial void LogRefused(ILogger logger, string reason, string detail, string credential, string remoteAddress, string path, long heldBack);

    private sealed class Entry
    {
        public DateTimeOffset? Last { get; set; }

        public long HeldBack { get; set; }
    }
}
