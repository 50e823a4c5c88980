using System.Diagnostics;
using System.Diagnostics.Metrics;
using Glidepath.Routing;
using Glidepath.Serving.Routing;
using Glidepath.Serving.Tracing;
using Glidepath.Traces;

namespace Glidepath.Serving;

/// <summary>The serving core's ActivitySource and Meter (both named <see cref="Name"/>) and its instruments.</summary>
public sealed class ServingTelemetry : IDisposable
{
    public const string Name = GlidepathTelemetry.Name;

    public static readonly ActivitySource Source = new(Name);

    /// <summary>The span tag naming the stored trace (the <c>Glidepath-Trace</c> id) when it differs from the span's trace id.</summary>
    public const string TraceIdTag = "glidepath.trace_id";

    private readonly Meter _meter;

    /// <param name="meters">The host's meter factory; without one (no host) the meter is created directly.</param>
    /// <param name="writes">Whether the store is busy for background writes; null: the gauge reads 0.</param>
    public ServingTelemetry(IMeterFactory? meters, RoutingTableSource routes, ControlPlaneStatus status, TraceQueue queue, Hosting.StoreWriteStatus? writes = null)
    {
        _meter = meters?.Create(Name) ?? new Meter(Name);
        Requests = _meter.CreateCounter<long>("glidepath.gateway.requests", "{request}", "Requests served, by environment, release, arm and HTTP status code");

        // Seconds, so bucket bounds in seconds: without advice the SDK uses its default bounds (0, 5, 10, 25 … 10000),
        // made for milliseconds, and every request landed in le="5".
        Duration = _meter.CreateHistogram("glidepath.gateway.request.duration", "s", "Time from request received to response complete", tags: null, advice: RequestSeconds);
        Overhead = _meter.CreateHistogram("glidepath.gateway.overhead", "s", "Time spent in the gateway itself (total minus waiting for the provider)", tags: null, advice: OverheadSeconds);
        TimeToFirstToken = _meter.CreateHistogram("glidepath.gateway.time_to_first_token", "s", "Time from request received to the first streamed token", tags: null, advice: RequestSeconds);
        Tokens = _meter.CreateCounter<long>("glidepath.gateway.tokens", "{token}", "Tokens used, by type (input, output)");
        Cost = _meter.CreateCounter<double>("glidepath.gateway.cost", "usd", "Cost of provider calls in US dollars at the manifest's prices");
        TracesWritten = _meter.CreateCounter<long>("glidepath.traces.written", "{trace}", "Traces written to the store");

        // Observable, so the series exists from the first scrape and an alert on drops has a baseline.
        _meter.CreateObservableCounter("glidepath.traces.dropped", () => queue.Dropped, "{trace}", "Traces dropped because the queue was full or the store failed");
        _meter.CreateObservableCounter("glidepath.traces.capture_dropped", () => queue.CaptureDropped, "{trace}", "Traces queued without their captured content: the gateway held its budget of captured bytes");
        _meter.CreateObservableGauge("glidepath.traces.captured_bytes", () => queue.CapturedBytes, "By", "Bytes of captured content held before the store: traces not yet written, traces waiting for online scoring, requests waiting for the shadow");
        _meter.CreateObservableCounter("glidepath.online.capture_skipped", () => queue.Budget.OnlineSkipped, "{request}", "Sampled requests passed on unscored: waiting for online scoring would have taken the gateway over its budget of captured bytes");
        _meter.CreateObservableGauge("glidepath.routing.revision", () => routes.Current?.Revision ?? 0, "{revision}", "Environment revision the routing table was built from");
        _meter.CreateObservableGauge("glidepath.control_plane.stale", () => status.Current.Stale ? 1 : 0, null, "1 while the store cannot be read and the last routing table is served");
        _meter.CreateObservableGauge("glidepath.store.busy", () => writes?.Current.Busy == true ? 1 : 0, null, "1 while the store is busy for trace and shadow pair writes (a lock another connection holds, a statement or command that timed out, a trace write unanswered for HungWriteAfter, 10 s by default): they are kept and retried");
        _meter.CreateObservableGauge("glidepath.traces.queued", () => queue.Unwritten, "{trace}", "Traces not yet written to the store: the queue and the batch the writer holds");
    }

    /// <summary>Bucket bounds of a request's duration (the OpenTelemetry semantic conventions' for http.server.request.duration, up to a minute for a model's answer).</summary>
    internal static readonly double[] RequestSecondsBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60];

    /// <summary>Bucket bounds of the gateway's own time, from 0.1 ms: it is a few milliseconds at most.</summary>
    internal static readonly double[] OverheadSecondsBounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private static readonly InstrumentAdvice<double> RequestSeconds = new() { HistogramBucketBoundaries = RequestSecondsBounds };
    private static readonly InstrumentAdvice<double> OverheadSeconds = new() { HistogramBucketBoundaries = OverheadSecondsBounds };

    internal Counter<long> Requests { get; }
    internal Histogram<double> Duration { get; }
    internal Histogram<double> Overhead { get; }
    internal Histogram<double> TimeToFirstToken { get; }
    internal Counter<long> Tokens { get; }
    internal Counter<double> Cost { get; }
    internal Counter<long> TracesWritten { get; }

    public void Dispose() => _meter.Dispose();
}
