using Glidepath.Routing;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Routing;

/// <summary>
/// Whether each release of the routing table in service can be served here: its model client is built (its provider's
/// settings resolved: the key's environment variable set where the provider needs one) when the table is loaded, at
/// start and at every reload, without calling the provider. <c>/readyz</c> reads the result; it never looks at the
/// environment itself. A process's environment does not change, so a start or a reload is all it takes.
/// </summary>
public sealed partial class ReleaseReadiness
{
    private readonly ServingOptions _settings;
    private readonly ILogger<ReleaseReadiness> _logger;

    // Release label (version and hash) + reason already warned of: a reload of the same releases does not repeat the warning.
    private readonly HashSet<string> _logged = new(StringComparer.Ordinal);
    private volatile Snapshot _current = Snapshot.AllServable;

    internal ReleaseReadiness(ServingOptions settings, ILogger<ReleaseReadiness> logger)
    {
        _settings = settings;
        _logger = logger;
    }

    /// <summary>The check of the routing table in service (all servable before the first load).</summary>
    public Snapshot Current => _current;

    /// <summary>Records the check of the table just put in service, and warns once per release and reason.</summary>
    internal void Checked(Snapshot snapshot)
    {
        lock (_logged)
        {
            foreach (var release in snapshot.Unservable)
            {
                if (_logged.Add(release.Label + "\n" + release.Reason))
                {
                    LogUnservable(_logger, release.Label, release.Arm, _settings.Environment, release.Reason);
                }
            }
        }

        _current = snapshot;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Release {Release} ({Arm} in {Environment}) cannot be served: {Reason}. Every request routed (or mirrored) to it fails, 503 configuration, until this process is restarted with that fixed")]
    private static partial void LogUnservable(ILogger logger, string release, string arm, string environment, string reason);

    /// <summary>The releases of one routing table that cannot be served, with the reasons <c>/readyz</c> shows, worded once.</summary>
    public sealed record Snapshot
    {
        /// <summary>Every release of the table can be served.</summary>
        public static readonly Snapshot AllServable = new([]);

        public Snapshot(IReadOnlyList<UnservableRelease> unservable)
        {
            ArgumentNullException.ThrowIfNull(unservable);
            Unservable = unservable;
            StableUnservable = unservable.Any(u => u.Arm == Arm.Stable);
            if (unservable.Count == 0)
            {
                return;
            }

            Reason = string.Join("; ", unservable.Select(u => $"{u.Arm} {u.Label} cannot be served: {u.Reason}"));

            // Without a token no release is named, nor which arm besides stable: only that one cannot be served, and why.
            PublicReason = string.Join("; ", unservable
                .Select(u => (u.Arm == Arm.Stable ? "the stable release" : "a release served besides stable") + " cannot be served: " + u.PublicReason)
                .Distinct(StringComparer.Ordinal));
        }

        /// <summary>The releases that cannot be served (stable, canary, shadow), empty when all can.</summary>
        public IReadOnlyList<UnservableRelease> Unservable { get; }

        /// <summary>The stable release cannot be served: no request can be answered through its provider.</summary>
        public bool StableUnservable { get; }

        /// <summary>Each release that cannot be served, its arm, label and reason; null when all can.</summary>
        public string? Reason { get; }

        /// <summary>The same without labels or the arm of a release other than stable, for a caller without a token; null when all can.</summary>
        public string? PublicReason { get; }
    }
}
