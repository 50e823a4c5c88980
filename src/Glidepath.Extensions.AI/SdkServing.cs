using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Serving;
using Glidepath.Storage;

namespace Glidepath.Extensions.AI;

/// <summary>How an app's <see cref="GlidepathOptions"/> become the serving core's options: the gateway's core, as an app hosts it.</summary>
internal static class SdkServing
{
    /// <summary>
    /// The SDK as its log lines name it: "this app", the option that turns pushes off, and the packages to upgrade (an
    /// app has no <c>--poll-only</c> and runs no rollout controller).
    /// </summary>
    public static ServingHost Host { get; } = new(
        "app",
        $"set {nameof(GlidepathOptions)}.{nameof(GlidepathOptions.FollowPushes)} = false",
        "so upgrade this app's Glidepath packages (Glidepath.Extensions.AI and those it brings) and restart it");

    public static ServingOptions For(GlidepathOptions options, IGlidepathStore store, Manifest manifest, IModelClientFactory models)
    {
        var serving = ServingOptions.For(store, manifest, options.Environment!, models);

        // The rollout controller and the drift check run in `glidepath controller` (or a gateway), not in every app process.
        return serving with
        {
            Rollouts = null,
            Monitor = null,
            RolloutController = null,
            Watch = options.FollowPushes ? serving.Watch : null,
            PollInterval = options.PollInterval,
            Time = options.Time,
            RequestLogLevel = Microsoft.Extensions.Logging.LogLevel.Debug, // the host app's log is not our access log
            Host = Host,
        };
    }
}
