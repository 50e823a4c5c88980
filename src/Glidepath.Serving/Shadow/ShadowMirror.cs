using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Glidepath.Routing;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Tracing;
using Glidepath.Shadow;
using Glidepath.Storage;
using Glidepath.Traces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// Mirrors a sampled share of the stable arm's successful requests to the environment's shadow candidate, off the
/// request path: <see cref="Sample"/> decides when a call is prepared (no I/O), <see cref="Offer"/> queues it once
/// the caller's answer is complete (a bounded queue: full, or the gateway's capture budget full → dropped and counted,
/// never waited for; a queued call's messages, answer and body are charged to that budget until it is done), and a few
/// background workers call the candidate (<see cref="ShadowCaller"/>) and queue its trace and the pair — while the
/// shadow is still the routing table's and its caps have room (<see cref="ShadowBudget"/>). Pairs are stored in
/// batches, one transaction per trace flush interval, as traces are: less background work beside the callers'. Nothing here can change
/// what a caller receives. While the environment is frozen nothing is mirrored.
/// </summary>
internal sealed partial class ShadowMirror : BackgroundService
{
    /// <summary>Mirrored calls in flight at once; also the most calls that can pass a cost cap when it is reached.</summary>
    public const int Concurrency = 4;

    /// <summary>How often a shadow's pairs and spend are re-read from the store (other gateways spend from the same caps).</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private readonly Channel<(ShadowJob Job, long HeldBytes)> _queue;
    private readonly ShadowPairWriter _pairs;
    private readonly ServingOptions _options;
    private readonly RoutingTableSource _routes;
    private readonly TraceQueue _traces;
    private readonly IShadowStore? _store;
    private readonly TimeProvider _time;
    private readonly Func<ChatService> _service;
    private readonly ILogger<ShadowMirror> _logger;
    private bool _stopping;
    private readonly Lazy<PairwiseJudge?> _judge;
    private readonly ConcurrentDictionary<string, ShadowBudget> _budgets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _candidateFailureLogged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unpriced = new(StringComparer.Ordinal);
    private readonly Hosting.OutageLog _spendReads = new();
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly ShadowCounters _counters;
    private int _cancelledAtStop;

    /// <param name="writes">Where the pair writer says the store is busy (<c>/readyz</c>); null: nowhere.</param>
    public ShadowMirror(ServingOptions options, RoutingTableSource routes, TraceQueue traces, Func<ChatService> service, IMeterFactory? meters, ILogger<ShadowMirror> logger, Hosting.StoreWriteStatus? writes = null)
    {
        _queue = Channel.CreateBounded<(ShadowJob, long)>(new BoundedChannelOptions(options.ShadowQueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        _options = options;
        _routes = routes;
        _traces = traces;
        _store = options.Shadows;
        _time = options.Time;
        _service = service;
        _logger = logger;
        _judge = new(() => PairwiseJudge.Create(options, logger));
        _counters = new ShadowCounters(meters, () => traces.Budget.ShadowSkipped);
        _pairs = new ShadowPairWriter(options, _refresh, _counters, logger, writes);
    }

    /// <summary>What became of the sampled requests: mirrored, dropped (by reason), capped or failed.</summary>
    public ShadowCounters Counters => _counters;

    public long Dropped => _counters.Dropped;
    public long Mirrored => _counters.Mirrored;
    public long Capped => _counters.Capped;
    public long Failed => _counters.Failed;

    /// <summary>Answered pairs not yet stored (queued, or in a batch the store has not taken yet).</summary>
    internal int PendingPairs => _pairs.Pending;

    /// <summary>The shadow to mirror a call to, or null: only stable, unfrozen, sampled calls while the shadow's caps have room.</summary>
    public ShadowRoute? Sample(in RouteDecision decision, string traceId)
    {
        if (_store is null || _routes.Current is not { Shadow: { } shadow, Frozen: false } || decision.Arm != Arm.Stable
            || shadow.Release.Id == decision.Release.Id || !ShadowSampling.Sampled(traceId, shadow.Rate))
        {
            return null;
        }

        if (_budgets.TryGetValue(shadow.ShadowId, out var budget) && (budget.Exhausted || budget.ClaimsRanOut(_time.GetUtcNow(), RefreshInterval)))
        {
            _counters.Cap();
            return null;
        }

        return shadow;
    }

    /// <summary>Queues a stable call whose answer is complete; never waits (a full queue or capture budget drops and counts it).</summary>
    public void Offer(ShadowJob job)
    {
        var held = Held(job);
        if (!_traces.Budget.TryChargeBeside(held))
        {
            // Counted by the budget (reason capture_budget): a slow candidate or a store outage must not pile large requests up here.
            _traces.Budget.CountShadowSkipped();
            return;
        }

        if (!_queue.Writer.TryWrite((job, held)))
        {
            // Refused by a full queue, or by one closed at the stop (an answer that completed after it).
            _traces.Budget.ReleaseBeside(held);
            _counters.Drop(Volatile.Read(ref _stopping) ? ShadowCounters.Stopped : ShadowCounters.QueueFull);
        }
    }

    /// <summary>What a queued call keeps: the caller's messages, tools and body copy, the stable answer and the stable trace's content.</summary>
    private static long Held(ShadowJob job) =>
        CapturedSize.Of(job.Messages) + CapturedSize.Of(job.Options) + CapturedSize.Of(job.Stable) + (job.Forwarded?.BodyBytes ?? 0)
        + (ReferenceEquals(job.StableText, job.Stable.OutputText) ? 0 : CapturedSize.Of(job.StableText));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var writer = _pairs.RunAsync(stoppingToken);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => WorkAsync(stoppingToken))).ConfigureAwait(false);
        }
        finally
        {
            // Stopping: calls still queued are not mirrored, and say so; the pairs answered are written (and the candidates'
            // traces were queued to the trace writer, which stops after this).
            DropQueued(Volatile.Read(ref _cancelledAtStop));
            _pairs.Complete();
            await writer.ConfigureAwait(false);
            await ReturnClaimsAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops the workers (see <see cref="ExecuteAsync"/>), then counts what is still queued: BackgroundService starts
    /// <see cref="ExecuteAsync"/> on the thread pool with the stopping token, so a stop that comes before the pool ran it
    /// cancels it unrun, and the jobs offered meanwhile would be neither mirrored nor counted.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopping, true);
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        DropQueued(0);
    }

    /// <summary>Counts every job still queued as dropped (reason stopped) and logs them with <paramref name="cut"/> cut short.</summary>
    private void DropQueued(int cut)
    {
        var left = cut;
        while (_queue.Reader.TryRead(out var queued))
        {
            _traces.Budget.ReleaseBeside(queued.HeldBytes);
            _counters.Drop(ShadowCounters.Stopped);
            left++;
        }

        if (left > 0)
        {
            LogNotMirroredAtStop(_logger, left);
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        var caller = new ShadowCaller(_service(), Judge(), _time);
        try
        {
            await foreach (var (job, held) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await MirrorAsync(caller, job, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    _counters.Drop(ShadowCounters.Stopped);
                    Interlocked.Increment(ref _cancelledAtStop);
                    throw;
                }
                finally
                {
                    _traces.Budget.ReleaseBeside(held); // mirrored, dropped, capped, failed or cut short: the job is let go
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The pairwise judge, built once; one that cannot be built (no rubric file) is logged and fails closed: every pair is a loss for the candidate.</summary>
    private PairwiseJudge? Judge()
    {
        try
        {
            return _judge.Value;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Errors.GlidepathException)
        {
            LogJudgeUnavailable(_logger, ex.Message);
            return PairwiseJudge.Failing(ex.Message, _logger);
        }
    }

    private async Task MirrorAsync(ShadowCaller caller, ShadowJob job, CancellationToken cancellationToken)
    {
        // Stopped, replaced or frozen since the call was queued: not mirrored, and counted as dropped with that reason.
        if (_routes.Current is not { Frozen: false, Shadow.ShadowId: var current } || current != job.Shadow.ShadowId)
        {
            _counters.Drop(_routes.Current is { Frozen: true } ? ShadowCounters.Frozen : ShadowCounters.ShadowEnded);
            return;
        }

        // On the app's own client (SDK inner-client mode) the candidate is priced at the caller's model: with a cost cap and
        // no price for it, every call would cost $0 and the cap never bind. Fail closed: not mirrored, counted as capped.
        if (job.Own is not null && job.Shadow.MaxCostUsd is not null && _service().Releases.PriceOf(job.Options.ModelId) is null)
        {
            _counters.Cap();
            if (_unpriced.TryAdd(job.Shadow.ShadowId, 0))
            {
                LogCapUnenforceable(_logger, job.Shadow.ShadowId, job.Options.ModelId ?? "(none)");
            }

            return;
        }

        var budget = _budgets.GetOrAdd(job.Shadow.ShadowId, _ => new ShadowBudget(job.Shadow));
        if (!await RefreshAsync(budget, cancellationToken).ConfigureAwait(false) || !await ReserveAsync(budget, cancellationToken).ConfigureAwait(false))
        {
            if (budget.ReadAt is null || budget.ClaimFailed || budget.Stale(_time.GetUtcNow()))
            {
                _counters.Drop(ShadowCounters.StoreUnreachable);
            }
            else
            {
                _counters.Cap();
            }

            return;
        }

        double? answered = null;
        try
        {
            var (trace, pair) = await caller.CallAsync(job, cancellationToken).ConfigureAwait(false);
            _traces.TryEnqueue(trace);
            if (pair.CandidateError && _candidateFailureLogged.TryAdd(job.Shadow.ShadowId, 0))
            {
                LogCandidateFailed(_logger, job.Shadow.ShadowId, trace.Status, trace.Error ?? "?", trace.UpstreamMessage ?? "");
            }

            budget.Answered(pair.CandidateCostUsd);
            answered = pair.CandidateCostUsd;
            await _pairs.QueueAsync(pair, budget, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            budget.Release(answered);
            _counters.Fail();
            LogMirrorFailed(_logger, job.Stable.TraceId, job.Shadow.ShadowId, ex.Message);
        }
        catch (OperationCanceledException)
        {
            budget.Release(answered);
            throw;
        }
    }

    /// <summary>Re-reads the shadow's pairs and spend when due; false when they were never read (the store failed): nothing is mirrored blind.</summary>
    private async Task<bool> RefreshAsync(ShadowBudget budget, CancellationToken cancellationToken)
    {
        if (budget.ReadAt is { } read && _time.GetUtcNow() - read < RefreshInterval)
        {
            return true;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (budget.ReadAt is { } again && _time.GetUtcNow() - again < RefreshInterval)
            {
                return true;
            }

            var before = budget.Local();
            budget.Refresh(await _store!.SpendAsync(budget.Shadow.ShadowId, cancellationToken).ConfigureAwait(false), before, _time.GetUtcNow());
            await RenewAsync(budget, cancellationToken).ConfigureAwait(false);
            _spendReads.Succeeded();
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (_spendReads.Failed())
            {
                // Once per outage (it was once per request). A shadow whose caps were read before goes on from what it
                // counted locally; one never read mirrors nothing.
                LogSpendUnreadable(_logger, budget.Shadow.ShadowId, ex.Message);
            }
            return budget.ReadAt is not null;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public override void Dispose()
    {
        _refresh.Dispose();
        _counters.Dispose();

        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: {Count} sampled request(s) were not mirrored to the shadow (still queued, or their candidate call was cut short); counted as dropped, reason stopped")]
    private static partial void LogNotMirroredAtStop(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow {ShadowId}: mirroring trace {TraceId} failed: {Error}")]
    private static partial void LogMirrorFailed(ILogger logger, string traceId, string shadowId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow {ShadowId}: the candidate failed a mirrored request ({Status} {Error}) {Message}; its later failures are counted in the pairs (glidepath shadow status), not logged")]
    private static partial void LogCandidateFailed(ILogger logger, string shadowId, int status, string error, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow {ShadowId}: the app's own client answers its candidate with model '{Model}', which has no price in the manifest's prices:, so its cost cap cannot be enforced and nothing is mirrored (counted as capped); add the model's price, or start the shadow without --max-cost-usd")]
    private static partial void LogCapUnenforceable(ILogger logger, string shadowId, string model);

    [LoggerMessage(Level = LogLevel.Error, Message = "the pairwise judge of shadow.pairwise cannot be built, so every shadow pair counts as a loss for the candidate: {Error}")]
    private static partial void LogJudgeUnavailable(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "shadow {ShadowId}: cannot read its pairs and spend from the store (logged once per outage); it goes on from the caps counted here, and a shadow never read mirrors nothing until it can: {Error}")]
    private static partial void LogSpendUnreadable(ILogger logger, string shadowId, string error);
}
