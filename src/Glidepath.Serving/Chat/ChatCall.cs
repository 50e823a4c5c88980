using System.Diagnostics;
using System.Globalization;
using Glidepath.Errors;
using Glidepath.Models;
using Glidepath.Routing;
using Glidepath.Serving.Routing;
using Glidepath.Serving.Shadow;
using Glidepath.Serving.Tracing;
using Glidepath.Traces;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Chat;

/// <summary>
/// One routed call through the serving core: <see cref="Prepare(ChatRequest)"/> applies the release, then one of
/// <see cref="GetResponseAsync"/> or <see cref="GetStreamingResponseAsync"/> calls its provider, and
/// <see cref="Complete()"/> records the trace once the host has answered. A failure is never thrown: it is left in
/// <see cref="Failure"/> for the host to answer in its own format. Not thread-safe: one host request drives it.
/// </summary>
public sealed partial class ChatCall : IDisposable
{
    private readonly ChatService _service;
    private readonly ChatCallContext _context;
    private readonly TraceBuilder _trace;
    private readonly Activity? _activity;
    private ServingRelease? _release;
    private IChatClient? _client;

    /// <summary>The caller's own client (<see cref="PrepareFor"/>): a shadow candidate is answered by it too.</summary>
    private IChatClient? _own;
    private List<ChatMessage>? _messages;
    private ChatOptions? _options;
    private CancellationToken _streamToken;
    private bool _streamed;
    private bool _streamBegan;
    private decimal? _cost;
    private ShadowRoute? _shadow;
    private Func<ReleaseApplier, string, ReadOnlyMemory<byte>>? _shadowPatch;
    private int _shadowPatchBytes;
    private ChatRequest? _request;

    internal ChatCall(ChatService service, ChatCallContext context, TraceBuilder trace, Activity? activity)
    {
        _service = service;
        _context = context;
        _trace = trace;
        _activity = activity;
    }

    /// <summary>The trace id (the W3C trace id when OpenTelemetry records the call).</summary>
    public string TraceId => _trace.TraceId;

    /// <summary>The label of the release the call was routed to, e.g. v7+3f9c2a1b.</summary>
    public string ReleaseLabel => _trace.Decision.Release.Label;

    /// <summary>The arm that serves the call: stable or canary.</summary>
    public string Arm => _trace.Decision.Arm;

    /// <summary>
    /// The model the call goes to once prepared: the release's, or with <see cref="PrepareFor"/> the caller's own
    /// <see cref="ChatOptions.ModelId"/> (null when the caller named none).
    /// </summary>
    public string? Model => _release is null ? null : _trace.Model;

    /// <summary>Why the call got no answer, or null while it is going well.</summary>
    public ChatFailure? Failure { get; private set; }

    /// <summary>The exception behind <see cref="Failure"/> when the provider (or building its client) threw one; an in-process host rethrows it wrapped.</summary>
    public Exception? FailureException { get; private set; }

    /// <summary>Token usage the provider reported so far.</summary>
    public UsageDetails? Usage { get; private set; }

    /// <summary>Why the provider stopped, when it said.</summary>
    public ChatFinishReason? FinishReason { get; private set; }

    /// <summary>Whether the trace has been recorded (further <see cref="Complete()"/> calls do nothing).</summary>
    public bool IsCompleted => _trace.Finished;

    /// <summary>Time spent in the host and the core so far, without waiting for the provider (for <c>Server-Timing</c>).</summary>
    public double OverheadMs()
    {
        CollectForwarded();
        return _trace.OverheadMs(Stopwatch.GetTimestamp());
    }

    /// <summary>
    /// Applies the routed release to <paramref name="request"/>: its rendered system prompt, model, parameters and tools.
    /// False when it cannot: a prompt variable left unset (400, the caller's to fix) or a release that cannot be served (503).
    /// </summary>
    public bool Prepare(ChatRequest request) => Prepare(request, null, forwarding: false);

    /// <summary>
    /// Applies the routed release's rendered system prompt, sampling parameters and tools to <paramref name="request"/>
    /// and sends it to <paramref name="client"/> instead of the release's provider: the caller's model id, response format
    /// and additional properties stay (an in-process app that keeps its own client). The trace's model and price are the
    /// caller's model (none when the caller named none). False when it cannot, as <see cref="Prepare(ChatRequest)"/>.
    /// </summary>
    public bool PrepareFor(ChatRequest request, IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Prepare(request, client, forwarding: false);
    }

    private bool Prepare(ChatRequest request, IChatClient? own, bool forwarding)
    {
        ArgumentNullException.ThrowIfNull(request);
        var label = ReleaseLabel;
        ServingRelease release;
        try
        {
            release = _service.Releases.Get(_trace.Decision.Release);
            _client = own ?? release.Client;
            if (forwarding && release.Forwarder is { } forwarder && forwarder.Wire == _context.Api)
            {
                Forwarder = forwarder;
            }
        }
        catch (Exception ex)
        {
            return Unservable(label, ex);
        }

        var (vars, environmentOnly) = _service.Vars(_context.Vars);
        if (!release.TrySystemPrompt(vars, environmentOnly, shared: own is null, out var prompt, out var error))
        {
            Failure = _service.PromptFailure(release, vars, error, candidate: _trace.Decision.Arm == Glidepath.Routing.Arm.Canary);
            return false;
        }

        // Checked against the release's tools merged with the caller's, on both paths (the pass-through body keeps the
        // caller's tool_choice as written). An app's own client may declare tools of its own further in, so not then.
        if (own is null && _service.ToolChoiceFailure(release, request.Options, candidate: _trace.Decision.Arm == Glidepath.Routing.Arm.Canary) is { } toolChoice)
        {
            Failure = toolChoice;
            return false;
        }

        try
        {
            if (Forwarder is null)
            {
                (_messages, _options) = release.Applier.Apply(prompt, request.Messages, request.Options);
            }
            else
            {
                // The host patches the caller's own body with the same rule (ReleaseApplier's parameters and tools).
                (SystemPrompt, Applier) = (prompt.Text, release.Applier);
            }
        }
        catch (Exception ex)
        {
            return Unservable(label, ex);
        }

        _release = release;
        (_prepared, _promptChars) = (request, prompt.Text.Length); // counted only if the caller leaves early (EstimatedUsage)
        if (own is null)
        {
            _trace.Model = release.Model.Name;
            _trace.Price = release.Price;
        }
        else
        {
            var caller = request.Options;
            OwnClient.Keep(_options!, caller);
            _own = own;
            // The model the app asked its own client for; none when it named none (its client's default, not known
            // here). Never the release's: this mode does not call it, and its price would show a cost as if known.
            _trace.Model = caller.ModelId;
            _trace.Price = _service.Releases.PriceOf(caller.ModelId);
        }

        var traceId = _trace.TraceId;
        if (_service.Capture.ShouldCapture(traceId))
        {
            _trace.InputJson = _service.Capture.InputJson(request.Messages);
            _trace.Output = new AnswerText();
            _trace.CaptureContent = true;
        }

        if (_service.Online.ShouldSample(traceId))
        {
            _trace.OnlineRequest = request.Messages;
            _trace.Output ??= new AnswerText();
        }

        // Sampled for the shadow: the answer is kept to pair it with the candidate's, mirrored once complete.
        if (_service.Mirror.Sample(_trace.Decision, traceId) is { } shadow)
        {
            (_shadow, _request) = (shadow, request);
            _trace.Output ??= new AnswerText();
        }

        return true;
    }

    /// <summary>
    /// Records the trace with the outcome the call reached: its <see cref="Failure"/>, or success (200; a streamed call
    /// whose caller went away is 499). Call it once the answer is written, so the trace's latency covers the writing.
    /// </summary>
    public void Complete()
    {
        CollectForwarded();
        if (Failure is { } failure)
        {
            // A caller gone, or a stream the provider cut (or failed) after it began answering: the prompt and what was
            // sent cost the provider, and the usage that comes with a stream's last event may never have come. What it
            // did not report is estimated, alike on both paths.
            if (failure.IsClientClosed || _streamed && (_streamBegan || _forward is { StreamBegan: true }))
            {
                EstimateUnreportedUsage();
            }

            // A failed stable call is mirrored too (not a caller's leaving): with only stable's successes paired, an
            // identical candidate's errors were compared with none, and judged harm whenever stable failed as often
            // (trial shadowcaps #1). The pair records stable's failure.
            if (Record(failure.Status, failure.TraceError, null) is { } failed && _shadow is { } mirrored && !failure.IsClientClosed && _request is not null)
            {
                _service.Mirror.Offer(new ShadowJob(mirrored, _request.Messages, _request.Options, _context.Vars, failed, "",
                    _shadowPatch is { } patch ? (_context.Api, patch, _shadowPatchBytes) : null, _context.AnthropicBeta, _own, _streamed));
            }
        }
        else if (_streamed && _streamToken.IsCancellationRequested)
        {
            var reported = EstimateUnreportedUsage();
            Record(ChatFailure.ClientClosed.Status, ChatFailure.ClientClosed.TraceError, reported ? _cost : null);
        }
        // An answer the provider sent without usage (a server that ignores stream_options.include_usage) was still
        // billed: traced at the estimate, priced from it, never as free.
        else if (Record(200, null, EstimateUnreportedUsage() ? _cost : null) is { } stable && _shadow is { } shadow)
        {
            _service.Mirror.Offer(new ShadowJob(shadow, _request!.Messages, _request.Options, _context.Vars, stable, _trace.Output?.ToString() ?? "",
                _shadowPatch is { } patch ? (_context.Api, patch, _shadowPatchBytes) : null, _context.AnthropicBeta, _own, _streamed));
        }
    }

    /// <summary>Records the trace with an outcome the host decided: the caller refused (4xx), gone (499), or a host failure (500).</summary>
    /// <param name="error">The trace's error, e.g. <c>bad_request</c>, <c>client_closed</c>, <c>gateway_error</c>.</param>
    public void Complete(int status, string error)
    {
        CollectForwarded();
        if (status == ChatFailure.ClientClosed.Status)
        {
            EstimateUnreportedUsage();
        }

        _ = Record(status, error, null);
    }

    /// <summary>Ends the call's span; a call not completed by then is not traced (a route-only probe).</summary>
    public void Dispose()
    {
        if (!_trace.Finished)
        {
            _service.Recorder.NotTraced(_trace.TraceId);
        }

        _activity?.Dispose();
    }

    private TraceRecord? Record(int status, string? error, decimal? cost) =>
        _trace.Finished ? null : _service.Recorder.Record(_trace, _activity, status, error, Usage, FinishReason, cost);

    private void Fail(Exception ex)
    {
        if (ex is ProviderException { Usage: { } reported })
        {
            // An answer that is not one (no finish reason) still came with the provider's usage: it billed the call.
            Usage ??= reported;
            _usageComplete = true;
        }

        // The translating path's attempts leave with its failure (0 when it never reached the provider: no slot free); a
        // stream that failed after its first update keeps the count that update carried. The pass-through path counts
        // its own (CollectForwarded), an app's own client none.
        if (_forward is null && _own is null)
        {
            _trace.Attempts = Math.Max(_trace.Attempts, ex is ProviderException pe ? pe.Attempts : 1);
        }

        Failure = ProviderErrors.Map(ex);
        FailureException = ex;
        (_trace.UpstreamStatus, _trace.UpstreamMessage) = ProviderErrors.Upstream(ex);
        ChatService.LogProviderFailed(_service.Logger, _trace.TraceId, Failure.Status, ex.Message);
    }

    private bool Unservable(string label, Exception ex)
    {
        _service.LogUnservable(label, ex.Message);
        FailureException = ex;
        Failure = new ChatFailure(503, ErrorKinds.Unavailable, $"release {label} cannot be served: {ex.Message}", "configuration");
        return false;
    }
}
