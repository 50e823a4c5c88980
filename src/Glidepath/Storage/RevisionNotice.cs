namespace Glidepath.Storage;

/// <summary>
/// What an <see cref="IRevisionWatch"/> reports: one environment changed, or (both null) re-read everything, or a probe
/// (<see cref="IRevisionWatch.ProbeAsync"/>) came back, or the watch lost its connection (<see cref="Lost"/>).
/// </summary>
public readonly record struct RevisionNotice(string? App, string? Environment)
{
    /// <summary>
    /// The app a probe's notice names, its token as the environment. No app can be named so (an app's name starts with a
    /// letter or a digit), so a probe concerns no host, including one built before probes, which ignores it instead of
    /// re-reading everything: N hosts probing do not make each other refresh.
    /// </summary>
    public const string ProbeApp = "#probe";

    /// <summary>The watch (re)connected: anything may have changed while it was not listening.</summary>
    public static RevisionNotice Resync { get; } = new(null, null);

    public bool IsResync => App is null;

    /// <summary>
    /// The app of <see cref="Lost"/>. No app can be named so, and a notice that arrives from the server always has an
    /// environment (a probe's token, or ""), so only the watch itself reports one.
    /// </summary>
    public const string LostApp = "#lost";

    /// <summary>
    /// The watch's connection failed or could not be made (the server stopped, restarted or became unreachable): nothing
    /// is pushed until the next <see cref="Resync"/>. It concerns no environment: the poll reads what changed meanwhile.
    /// </summary>
    public static RevisionNotice Lost { get; } = new(LostApp, null);

    public bool IsLost => Environment is null && string.Equals(App, LostApp, StringComparison.Ordinal);

    /// <summary>The token of a probe's notice (whichever host sent it); null for any other notice.</summary>
    public string? ProbeToken => string.Equals(App, ProbeApp, StringComparison.Ordinal) ? Environment : null;

    /// <summary>The notice a probe carrying <paramref name="token"/> arrives as.</summary>
    public static RevisionNotice Probe(string token) => new(ProbeApp, token);

    /// <summary>Whether a host serving <paramref name="app"/>/<paramref name="environment"/> must re-read its state.</summary>
    public bool Concerns(string app, string environment) =>
        IsResync || (ProbeToken is null && string.Equals(App, app, StringComparison.Ordinal) && string.Equals(Environment, environment, StringComparison.Ordinal));
}
