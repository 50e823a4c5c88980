using Glidepath.Keys;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Keys;

/// <summary>
/// Checks callers' keys against an in-memory snapshot of the app's keys, refreshed with the routing poll: a revoke is
/// honoured within a poll, and when the store cannot be read the last snapshot stays (fail static). No request reads
/// the store. Also holds each key's requests-per-minute window and today's spend.
/// </summary>
public sealed partial class CallerKeys
{
    private readonly ServingOptions _settings;
    private readonly KeyRateLimiter _rate;
    private readonly KeySpending _spending;
    private readonly KeyCallsInFlight _calls = new();
    private readonly ILogger<CallerKeys> _logger;
    private readonly Hosting.StoreFollower _follower;
    private CallerKeyTable _table = CallerKeyTable.Empty;

    // Whether the served environment has two or more working keys: only then is a key held to its share of the slots.
    private bool _shared;
    private bool _stale;

    private readonly Glidepath.Routing.RoutingTableSource? _routes;
    private ShareOfTable _share;

    internal CallerKeys(ServingOptions settings, Hosting.StoreFollower follower, ILogger<CallerKeys> logger, Glidepath.Routing.RoutingTableSource? routes = null)
    {
        _settings = settings;
        _follower = follower;
        _logger = logger;
        _routes = routes;
        _rate = new KeyRateLimiter(settings.Time);
        _spending = new KeySpending(settings.Time);
        _share = new ShareOfTable(null, KeyConcurrencyShare.Of(settings));
    }

    /// <summary>
    /// The key's share of the provider slots for the routing table now (computed again only when the table changes: a
    /// reference compare per request) and what set it.
    /// </summary>
    internal KeyConcurrencyShare Share
    {
        get
        {
            var table = _routes?.Current;
            var cached = Volatile.Read(ref _share);
            if (ReferenceEquals(cached.Table, table))
            {
                return cached.Share;
            }

            var share = KeyConcurrencyShare.Of(_settings, table);
            Volatile.Write(ref _share, new ShareOfTable(table, share));
            return share;
        }
    }

    /// <summary>
    /// Most requests one key may have calling the model at once (<see cref="ServingOptions.KeyMaxInFlight"/>) when the
    /// environment has two or more working keys; a key alone (one backend service) may use every slot.
    /// </summary>
    public int MaxInFlight => Share.Slots;

    /// <summary>What set <see cref="MaxInFlight"/>, in words for a 429 ("half of providers.openai.max_concurrency 128, …").</summary>
    public string MaxInFlightSource => Share.Source;

    /// <summary>What <see cref="MaxInFlight"/> was computed for: the routing table it read (null before one is loaded).</summary>
    private sealed record ShareOfTable(Glidepath.Routing.RoutingTable? Table, KeyConcurrencyShare Share);

    /// <summary>Keys of the served environment that work now (a host refuses to require keys when there are none).</summary>
    public int WorkingKeys => Volatile.Read(ref _table).WorkingKeys(_settings.Environment);

    /// <summary>
    /// Checks <paramref name="presented"/> (the key from the request, null when it brought none) and, when it is
    /// accepted, counts the request against the key's rate limit.
    /// </summary>
    public CallerCheck Check(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return new(CallerCheckResult.Missing, null);
        }

        var key = Volatile.Read(ref _table).Find(presented);
        if (key is null)
        {
            return new(CallerCheckResult.Unknown, null);
        }

        if (key.IsRevoked)
        {
            return new(CallerCheckResult.Revoked, key);
        }

        if (key.Environment != _settings.Environment)
        {
            return new(CallerCheckResult.OtherEnvironment, key);
        }

        if (key.BudgetUsdPerDay is { } budget && _spending.Today(key.Id) >= budget)
        {
            return new(CallerCheckResult.OverBudget, key, _spending.UntilTomorrow());
        }

        if (key.RequestsPerMinute is { } rpm && _rate.TryAcquire(key.Id, rpm) is { } wait && wait > TimeSpan.Zero)
        {
            return new(CallerCheckResult.RateLimited, key, wait);
        }

        return new(CallerCheckResult.Accepted, key);
    }

    /// <summary>
    /// Admits an accepted key's request that will call the model (not feedback, not a route probe): it takes one of the
    /// key's <see cref="MaxInFlight"/> places, given back with <see cref="Left"/>, or is refused when the key holds them
    /// all while the environment has two or more working keys; for a key with a daily budget it also takes a place among the key's requests in flight
    /// (<see cref="KeySpending.TryAdmit"/>), given back with <see cref="Done"/>, or is refused while those may spend what is left.
    /// </summary>
    public CallerCheck Admit(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_calls.TryEnter(key.Id, Volatile.Read(ref _shared) ? MaxInFlight : int.MaxValue))
        {
            return new(CallerCheckResult.TooManyInFlight, key, TimeSpan.FromSeconds(1));
        }

        if (key.BudgetUsdPerDay is not { } budget)
        {
            return new(CallerCheckResult.Accepted, key);
        }

        if (_spending.TryAdmit(key.Id, budget))
        {
            return new(CallerCheckResult.Accepted, key, InFlight: true);
        }

        _calls.Exit(key.Id);
        return new(CallerCheckResult.BudgetInFlight, key, TimeSpan.FromSeconds(1));
    }

    /// <summary>A request admitted with <see cref="Admit"/> has ended: its key's place is free.</summary>
    public void Left(string keyId) => _calls.Exit(keyId);

    /// <summary>A request admitted with <see cref="CallerCheck.InFlight"/> has ended (its cost, if any, is added by the trace recorder).</summary>
    public void Done(string keyId) => _spending.Done(keyId);

    /// <summary>Today's model cost of a key's requests (as this gateway knows it).</summary>
    public double SpentToday(string keyId) => _spending.Today(keyId);

    internal void AddSpend(string keyId, double usd, DateTimeOffset at) => _spending.Add(keyId, usd, at);

    /// <summary>At start: the snapshot and today's spend per key from the store; failures propagate (the host does not start).</summary>
    internal async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_settings.ApiKeys is null)
        {
            return;
        }

        await RefreshCoreAsync(cancellationToken).ConfigureAwait(false);
        _spending.Seed(await _settings.Traces.CostByKeyAsync(_settings.Manifest.App, _settings.Environment, _spending.StartOfToday(), cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One poll: a new snapshot, or the last one kept when the store cannot be read (logged once per outage).</summary>
    internal async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_settings.ApiKeys is null)
        {
            return;
        }

        try
        {
            await RefreshCoreAsync(cancellationToken).ConfigureAwait(false);
            _stale = false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!_stale)
            {
                LogStale(_logger, _settings.Environment, ex.Message);
            }

            _stale = true;
        }
    }

    private async Task RefreshCoreAsync(CancellationToken cancellationToken)
    {
        // Through the follower: a store put in place of the file that is not followed yet (no stable release) must not
        // replace the keys callers use with its own (none, in a new store).
        var secret = (await _follower.ReadAsync(cancellationToken).ConfigureAwait(false))?.SubjectKey ?? [];
        var keys = await _settings.ApiKeys!.ListAsync(_settings.Manifest.App, null, cancellationToken).ConfigureAwait(false);
        var table = new CallerKeyTable(secret, keys);
        Volatile.Write(ref _shared, table.WorkingKeys(_settings.Environment) > 1);
        Volatile.Write(ref _table, table);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot read the keys of {Environment} from the store; checking callers against the last keys read until it can (logged once): {Reason}")]
    private static partial void LogStale(ILogger logger, string environment, string reason);
}
