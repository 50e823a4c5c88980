using System.Text.Json;
using System.Threading.Channels;
using Glidepath.Evals.Scorers;
using Glidepath.Models;
using Glidepath.Serving.Hosting;
using Glidepath.Traces;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// Runs the manifest's reference-free <c>online:</c> scorers on a sample of live traffic, off the request
/// path: a sampled request's trace waits here (bounded queue) until it is scored, then goes to the trace
/// writer. Both arms are sampled at the same rate, decided by the trace id so the choice is reproducible.
/// When this queue is full, or the trace would take the gateway's <see cref="CaptureBudget"/> over its limit (a waiting trace
/// holds the caller's messages and the answer besides its content), the trace goes on unscored (counted), so scoring never
/// slows traffic nor holds unbounded memory. At a stop, what was
/// submitted is still scored and handed to the writer (which stops after this), until the host's shutdown timeout and
/// for at least <see cref="StopDeadline.Floor"/>; what is left by then goes on unscored, counted and logged: a trace is
/// never lost for being sampled.
/// </summary>
internal sealed partial class OnlineScorer : BackgroundService
{
    private readonly Channel<Item> _queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(2_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly TraceQueue _traces;
    private readonly ScorerSet? _scorers;
    private readonly double _rate;
    private readonly PriceTable _prices;
    private readonly ILogger<OnlineScorer> _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _abandon = new();
    private long _skipped;
    private int _unscoredAtStop;

    public OnlineScorer(ServingOptions settings, TraceQueue traces, ILogger<OnlineScorer> logger)
    {
        _traces = traces;
        _logger = logger;
        _prices = PriceTable.For(settings.Manifest);
        _time = settings.Time;
        var online = settings.Manifest.Online;
        if (online is { SampleRate: > 0, Scorers.Count: > 0 })
        {
            var manifest = settings.Manifest;
            _scorers = ScorerSet.Build(online.Scorers, ScorerRegistry.CreateDefault(), new ScorerBuildContext
            {
                ReadFile = path => Glidepath.Files.AppFile.Read(manifest.BaseDirectory, path, "online.scorers"),
                JudgeClient = (model, _) => settings.Models.Create(model, ProviderSettingsResolver.Resolve(manifest, model.Provider, settings.Environment), new ModelClientOptions { Environment = settings.Environment }),
            });
            _rate = online.SampleRate;
        }
    }

    /// <summary>Requests sampled but passed on unscored: the scoring queue or the capture budget was full, or the stop's deadline passed before their turn.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>Whether this request is scored online: its trace id's draw against the sample rate (<see cref="TraceSampling"/>).</summary>
    public bool ShouldSample(string traceId) => _scorers is not null && TraceSampling.Sampled(traceId, _rate);

    /// <summary>Queues a finished, successful request for scoring; on a full queue or capture budget the trace is written unscored.</summary>
    public void Submit(TraceRecord trace, IReadOnlyList<ChatMessage> request, string responseText)
    {
        // What the waiting item keeps: the trace's content, the caller's messages and the answer (often the trace's own output string).
        var held = CapturedSize.Of(trace) + CapturedSize.Of(request) + (ReferenceEquals(responseText, trace.OutputText) ? 0 : CapturedSize.Of(responseText));
        if (!_traces.Budget.TryChargeBeside(held))
        {
            _traces.Budget.CountOnlineSkipped();
            Interlocked.Increment(ref _skipped);
            _traces.TryEnqueue(trace);
            return;
        }

        if (!_queue.Writer.TryWrite(new Item(trace, request, responseText, held)))
        {
            _traces.Budget.ReleaseBeside(held);
            Interlocked.Increment(ref _skipped);
            _traces.TryEnqueue(trace);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Runs until StopAsync completes the queue, not until stoppingToken: what was submitted is scored (or passed on) first.
        await foreach (var item in _queue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            _traces.TryEnqueue(await ScoreOrPassAsync(item).ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Takes no more submissions (a later one goes on unscored), scores what is queued within the stop's deadline, then ends.
    /// What the loop left is handed on here: BackgroundService starts <see cref="ExecuteAsync"/> on the thread pool with
    /// the stopping token, so a stop that comes before the pool ran it cancels the loop unrun (a busy pool, a quick stop).
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        // No floor of its own: the trace writer, which stops after it, has the one floor of this stop.
        using var deadline = new StopDeadline(cancellationToken, _time, floor: TimeSpan.Zero);
        using (deadline.Token.Register(_abandon.Cancel))
        {
            // Waits for the loop to end (or for nothing, when it never ran): only then is the queue read here.
            await base.StopAsync(CancellationToken.None).ConfigureAwait(false);
            while (_queue.Reader.TryRead(out var item))
            {
                _traces.TryEnqueue(await ScoreOrPassAsync(item).ConfigureAwait(false));
            }
        }

        if (_unscoredAtStop > 0)
        {
            LogUnscoredAtStop(_logger, _unscoredAtStop);
        }
    }

    /// <summary>
    /// The trace with its online scores; past the stop's deadline, the trace as it is (a stop never loses it). The item's
    /// charge on the capture budget is released here, before the trace is handed on (the trace queue charges its content).
    /// </summary>
    private async Task<TraceRecord> ScoreOrPassAsync(Item item)
    {
        try
        {
            if (!_abandon.IsCancellationRequested)
            {
                try
                {
                    return await ScoreAsync(item, _abandon.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
                {
                }
            }

            _unscoredAtStop++;
            Interlocked.Increment(ref _skipped);
            return item.Trace;
        }
        finally
        {
            _traces.Budget.ReleaseBeside(item.HeldBytes);
        }
    }

    private async Task<TraceRecord> ScoreAsync(Item item, CancellationToken cancellationToken)
    {
        var (score, passed, json) = (await ScoreAnswerAsync(item.Request, item.ResponseText, item.Trace.LatencyMs, KnownCost(item.Trace), cancellationToken, item.Trace.TraceId).ConfigureAwait(false))!.Value;
        return item.Trace with { OnlineScore = score, OnlinePassed = passed, OnlineScoresJson = json };
    }

    /// <summary>A trace's cost for the scorers: null (unknown, so max_cost is an error) when its model has no price.</summary>
    internal double? KnownCost(TraceRecord trace) => _prices.Known(trace.Model, trace.CostUsd);

    /// <summary>
    /// Scores one answer with the online scorers (shadow pairs score both answers this way); null when none are
    /// configured. Fail closed: a scorer error scores 0 and does not pass.
    /// </summary>
    internal async Task<(double Score, bool Passed, string Json)?> ScoreAnswerAsync(
        IReadOnlyList<ChatMessage> request, string responseText, double latencyMs, double? costUsd, CancellationToken cancellationToken, string traceId = "-")
    {
        if (_scorers is null)
        {
            return null;
        }

        IReadOnlyList<ScoreOutcome> outcomes;
        try
        {
            outcomes = await OnlineScoring.ScoreAsync(_scorers, request, responseText, latencyMs, costUsd, [], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogScorerFailed(_logger, traceId, ex.Message);
            outcomes = [ScoreOutcome.Failed("online", ex.Message)];
        }

        var combined = CaseScore.Combine(outcomes);
        return (combined.Score ?? 0, combined.Status == TrialStatus.Pass,
            JsonSerializer.Serialize(outcomes.Select(o => new { scorer = o.Scorer, score = o.Score, passed = o.Passed, applicable = o.Applicable, reason = o.Reason, error = o.Error })));
    }

    public override void Dispose()
    {
        _scorers?.Dispose();
        _abandon.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping: {Count} sampled trace(s) could not be scored online before the stop's deadline; they are written unscored")]
    private static partial void LogUnscoredAtStop(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "online scoring of trace {TraceId} failed: {Error}")]
    private static partial void LogScorerFailed(ILogger logger, string traceId, string error);

    /// <param name="HeldBytes">What <see cref="Submit"/> charged the capture budget for it; released once, when it is handed on.</param>
    private sealed record Item(TraceRecord Trace, IReadOnlyList<ChatMessage> Request, string ResponseText, long HeldBytes);
}
