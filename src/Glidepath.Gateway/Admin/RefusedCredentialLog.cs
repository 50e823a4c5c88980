using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Admin;

/// <summary>
/// Logs refused credentials of the admin API and the dashboard: why, the credential's public part (never its secret),
/// the remote address and the path. A flood (a scanner, a client retrying a revoked token) is one line per reason a
/// minute: the first refusal is logged at once, the ones that follow within the minute are summed up in one line when
/// the minute ends (written by a timer, so the last minute of a flood is not lost) naming the addresses they came from
/// with their counts, so a caller cannot hide its own address behind one decoy refusal sent first.
/// </summary>
internal sealed partial class RefusedCredentialLog : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>The longest path logged: a path is the caller's text, and a line is not a place for a document.</summary>
    public const int MaxPathLength = 200;

    /// <summary>The addresses a summary line names, the most frequent first; the rest are counted together.</summary>
    public const int AddressesShown = 5;

    /// <summary>The distinct addresses counted per reason and minute: a flood from many addresses does not grow memory without bound.</summary>
    public const int AddressesCounted = 256;

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Entry[] _entries;

    public RefusedCredentialLog(TimeProvider time, ILogger logger)
    {
        (_time, _logger) = (time, logger);
        _entries = [.. Enum.GetValues<RefusedCredential>().Select(reason => new Entry(reason))];
    }

    public void Refused(TokenRefusal refusal, HttpContext http)
    {
        var entry = _entries[(int)refusal.Reason];
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "-";
        var now = _time.GetUtcNow();
        HeldBack? summary;
        lock (entry)
        {
            if (entry.Last is { } last && now - last < Interval)
            {
                entry.Count(address);
                entry.Timer ??= _time.CreateTimer(static state =>
                {
                    var (log, held) = ((RefusedCredentialLog, Entry))state!;
                    log.Summarize(held);
                }, (this, entry), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                if (entry.HeldBack == 1)
                {
                    entry.Timer.Change(last + Interval - now, Timeout.InfiniteTimeSpan);
                }

                return;
            }

            // The minute is over and the timer has not written its line yet: that line comes first.
            summary = entry.Take();
            entry.Last = now;
        }

        Write(summary);
        LogRefused(_logger, Name(refusal.Reason), refusal.Detail, refusal.Credential, address, Printable(http.Request.Path.Value));
    }

    public void Dispose()
    {
        foreach (var entry in _entries)
        {
            lock (entry)
            {
                entry.Timer?.Dispose();
            }
        }
    }

    /// <summary>The timer's end of a minute: the refusals held back in it, in one line.</summary>
    private void Summarize(Entry entry)
    {
        HeldBack? summary;
        lock (entry)
        {
            summary = entry.Take();
            if (summary is not null)
            {
                entry.Last = _time.GetUtcNow(); // a flood that goes on is summed up a minute from this line
            }
        }

        Write(summary);
    }

    private void Write(HeldBack? summary)
    {
        if (summary is { } s)
        {
            LogHeldBack(_logger, Name(s.Reason), s.Count, s.Addresses);
        }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential refused: {Reason} ({Detail}); credential {Credential}, from {RemoteAddress}, path {Path}; more refused for this reason within a minute are summed up in one line at its end")]
    private static partial void LogRefused(ILogger logger, string reason, string detail, string credential, string remoteAddress, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential refused: {Reason}, {HeldBack} more in the minute after the last such line, from {Addresses}")]
    private static partial void LogHeldBack(ILogger logger, string reason, long heldBack, string addresses);

    private readonly record struct HeldBack(RefusedCredential Reason, long Count, string Addresses);

    private sealed class Entry(RefusedCredential reason)
    {
        private readonly Dictionary<string, long> _addresses = new(StringComparer.Ordinal);
        private long _uncounted;

        /// <summary>When the last line for this reason was written.</summary>
        public DateTimeOffset? Last { get; set; }

        public long HeldBack { get; private set; }

        public ITimer? Timer { get; set; }

        public void Count(string address)
        {
            HeldBack++;
            if (_addresses.TryGetValue(address, out var n))
            {
                _addresses[address] = n + 1;
            }
            else if (_addresses.Count < AddressesCounted)
            {
                _addresses[address] = 1;
            }
            else
            {
                _uncounted++;
            }
        }

        /// <summary>What was held back since the last line, and a fresh start; null when nothing was.</summary>
        public HeldBack? Take()
        {
            if (HeldBack == 0)
            {
                return null;
            }

            var ranked = _addresses.OrderByDescending(a => a.Value).ThenBy(a => a.Key, StringComparer.Ordinal).ToList();
            var shown = string.Join(", ", ranked.Take(AddressesShown).Select(a => $"{a.Key} ({a.Value})"));
            var rest = ranked.Skip(AddressesShown).Sum(a => a.Value) + _uncounted;
            var taken = new HeldBack(reason, HeldBack, rest == 0 ? shown : $"{shown}; {rest} from other addresses");
            HeldBack = 0;
            _uncounted = 0;
            _addresses.Clear();
            return taken;
        }
    }
}
