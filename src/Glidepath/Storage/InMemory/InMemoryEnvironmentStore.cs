using Glidepath.Environments;

namespace Glidepath.Storage.InMemory;

/// <summary>
/// Environment state and its append-only history. A change is checked and committed under <see cref="Sync"/>, so
/// concurrent writers serialise and a stale one is refused (<see cref="StoreConflicts.EnvironmentChanged"/>).
/// </summary>
internal sealed class InMemoryEnvironmentStore : IEnvironmentStore
{
    private readonly Dictionary<(string App, string Name), EnvironmentState> _states = [];
    private readonly Dictionary<(string App, string Name), List<EnvironmentEvent>> _history = [];

    /// <summary>Guards state and history; rollout transitions hold it while they check and commit an environment change.</summary>
    public Lock Sync { get; } = new();

    public Task<EnvironmentState> GetAsync(string app, string environment, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (Sync)
            {
                return _states.GetValueOrDefault((app, environment)) ?? new EnvironmentState { App = app, Name = environment };
            }
        }, cancellationToken);

    public Task<long> GetRevisionAsync(string app, string environment, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            lock (Sync)
            {
                return RevisionOf(app, environment);
            }
        }, cancellationToken);

    public Task<EnvironmentState> ApplyAsync(EnvironmentChange change, CancellationToken cancellationToken) =>
        Synchronously.Run(() =>
        {
            ArgumentNullException.ThrowIfNull(change);
            lock (Sync)
            {
                Check(change);
                return Commit(change);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<EnvironmentEvent>> HistoryAsync(string app, string environment, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<EnvironmentEvent>>(() =>
        {
            lock (Sync)
            {
                return _history.TryGetValue((app, environment), out var events) ? [.. events] : [];
            }
        }, cancellationToken);

    public Task<IReadOnlyList<EnvironmentState>> ListAsync(string app, CancellationToken cancellationToken) =>
        Synchronously.Run<IReadOnlyList<EnvironmentState>>(() =>
        {
            lock (Sync)
            {
                return [.. _states.Values.Where(s => s.App == app).OrderBy(s => s.Name, StringComparer.Ordinal)];
            }
        }, cancellationToken);

    /// <summary>Throws unless <paramref name="change"/> can be committed now. The caller holds <see cref="Sync"/>.</summary>
    public void Check(EnvironmentChange change)
    {
        change.Validate();
        var current = RevisionOf(change.App, change.Environment);
        if (current != change.ExpectedRevision)
        {
            throw StoreConflicts.EnvironmentChanged(change.Environment, change.ExpectedRevision, current);
        }
    }

    /// <summary>Writes a checked change and its event at the next revision. The caller holds <see cref="Sync"/>.</summary>
    public EnvironmentState Commit(EnvironmentChange change)
    {
        var key = (change.App, change.Environment);
        var revision = change.ExpectedRevision + 1;
        var state = change.NewState with { App = change.App, Name = change.Environment, Revision = revision };
        var ev = change.Event with { App = change.App, Environment = change.Environment, Revision = revision };

        // Times are kept in UTC, as the SQLite store reads them back.
        _states[key] = state with { StableSince = state.StableSince?.ToUniversalTime() };
        if (!_history.TryGetValue(key, out var events))
        {
            events = [];
            _history[key] = events;
        }

        events.Add(ev with { Time = ev.Time.ToUniversalTime() });
        return state;
    }

    private long RevisionOf(string app, string environment) =>
        _states.TryGetValue((app, environment), out var state) ? state.Revision : 0;
}
