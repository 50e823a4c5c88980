namespace Glidepath.Serving;

/// <summary>
/// The process that hosts the serving core, as the core's log lines name it and the settings they advise: a gateway is
/// told to run with <c>--poll-only</c>, an app with the SDK to set its own option. Every host's log then gives advice the
/// reader can follow.
/// </summary>
/// <param name="Name">What the host is, as the log says "this gateway" or "this app".</param>
/// <param name="PushesOff">How the host is told to ignore the store's pushed changes and poll instead, e.g. "run with --poll-only".</param>
/// <param name="OnNewerSchema">
/// What the log line about a store a newer glidepath migrated says after "may drop what the new version records": what
/// else holds, and how to upgrade this host.
/// </param>
/// <param name="Serves">Whether the host serves traffic: the newer-schema line says it goes on serving meanwhile only then
/// (<c>glidepath controller</c> serves nothing).</param>
public sealed record ServingHost(string Name, string PushesOff, string OnNewerSchema, bool Serves = true)
{
    /// <summary>A gateway (<c>glidepath serve</c>): the default.</summary>
    public static ServingHost Gateway { get; } = new(
        "gateway",
        "run with --poll-only",
        "and its rollout controller neither advances, promotes nor ends a step undecided (harm still rolls back): upgrade it and restart it");

    /// <summary>
    /// <c>glidepath controller</c>: the rollout controller and the drift check of an environment, serving no traffic (it
    /// reads the store by polling, so it has no pushes to turn off).
    /// </summary>
    public static ServingHost Controller { get; } = new(
        "controller",
        "nothing: it polls the store",
        "and this rollout controller neither advances, promotes nor ends a step undecided (harm still rolls back): upgrade it and restart it",
        Serves: false);
}
