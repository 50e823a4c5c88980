using Glidepath.Environments;

namespace Glidepath.Storage;

/// <summary>Environment state and history. History is append-only: there is no way to update or delete an event.</summary>
public interface IEnvironmentStore
{
    /// <summary>The current state; an environment never changed returns Revision 0 with no stable release.</summary>
    Task<EnvironmentState> GetAsync(string app, string environment, CancellationToken cancellationToken);

    /// <summary>Only the revision: cheap enough for gateways to poll several times a second.</summary>
    Task<long> GetRevisionAsync(string app, string environment, CancellationToken cancellationToken);

    /// <summary>Compare-and-swap: applies the change and appends its event in one transaction, or throws PolicyException.</summary>
    Task<EnvironmentState> ApplyAsync(EnvironmentChange change, CancellationToken cancellationToken);

    /// <summary>Events oldest first.</summary>
    Task<IReadOnlyList<EnvironmentEvent>> HistoryAsync(string app, string environment, CancellationToken cancellationToken);

    /// <summary>Every environment of the app that has state.</summary>
    Task<IReadOnlyList<EnvironmentState>> ListAsync(string app, CancellationToken cancellationToken);
}
