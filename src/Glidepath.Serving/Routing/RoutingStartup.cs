using Glidepath.Errors;
using Glidepath.Routing;
using Microsoft.Extensions.Hosting;

namespace Glidepath.Serving.Routing;

/// <summary>
/// Loads the environment's routing table when the host starts, before anything is served: a host never serves
/// without a table, so a store that cannot be read fails the start with an <see cref="OperationalException"/>.
/// </summary>
internal sealed class RoutingStartup(
    RoutingTableLoader loader, RoutingTableSource source, ServingReleases releases, ReleaseReadiness readiness, ControlPlaneStatus status, SubjectHasher subjects, Keys.CallerKeys keys, Hosting.StoreFollower follower, ServingOptions options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await follower.ReadAsync(cancellationToken).ConfigureAwait(false) is { } identity)
            {
                subjects.Rekey(identity.SubjectKey);
            }

            source.Update(await loader.LoadAsync(options.Manifest.App, options.Environment, cancellationToken).ConfigureAwait(false));
            await keys.LoadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationalException || (ex is not OperationCanceledException and not GlidepathException))
        {
            throw new OperationalException($"cannot read environment '{options.Environment}' from the store: {ex.Message}", ex);
        }

        readiness.Checked(releases.Warm(source.Current!));
        status.Ok();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
