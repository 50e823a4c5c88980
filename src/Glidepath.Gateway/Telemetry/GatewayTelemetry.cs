using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Glidepath.Gateway.Telemetry;

/// <summary>The gateway's ActivitySource and Meter (both named <c>Glidepath</c>) and its instruments.</summary>
internal sealed class GatewayTelemetry : IDisposable
{
    public const string Name = "Glidepath";

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;

    public GatewayTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        Requests = _meter.CreateCounter<long>("glidepath.gateway.requests", "{request}", "Requests served, by environment, release, arm and status class");
        Duration = _meter.CreateHistogram<double>("glidepath.gateway.request.duration", "s", "Time from request received to response complete");
        Overhead = _meter.CreateHistogram<double>("glidepath.gateway.overhead", "s", "Time spent in the gateway itself (total minus waiting for the provider)");
        TimeToFirstToken = _meter.CreateHistogram<double>("glidepath.gateway.time_to_first_token", "s", "Time from request received to the first streamed token");
        Tokens = _meter.CreateCounter<long>("glidepath.gateway.tokens", "{token}", "Tokens used, by type (input, output)");
        Cost = _meter.CreateCounter<double>("glidepath.gateway.cost", "USD", "Cost of provider calls at the manifest's prices");
        TracesWritten = _meter.CreateCounter<long>("glidepath.traces.written", "{trace}", "Traces written to the store");
    }

    public Counter<long> Requests { get; }
    public Histogram<double> Duration { get; }
    public Histogram<double> Overhead { get; }
    public Histogram<double> TimeToFirstToken { get; }
    public Counter<long> Tokens { get; }
    public Counter<double> Cost { get; }
    public Counter<long> TracesWritten { get; }

    /// <summary>Registers instruments that read live state (routing revision, control-plane staleness, queue depth, drops).</summary>
    public void ObserveState(Func<long> revision, Func<int> stale, Func<int> queueDepth, Func<long> dropped)
    {
        // Observable, so the series exists from the first scrape and an alert on drops has a baseline.
        _meter.CreateObservableCounter("glidepath.traces.dropped", dropped, "{trace}", "Traces dropped because the queue was full or the store failed");
        _meter.CreateObservableGauge("glidepath.routing.revision", revision, "{revision}", "Environment revision the routing table was built from");
        _meter.CreateObservableGauge("glidepath.control_plane.stale", stale, null, "1 while the store cannot be read and the last routing table is served");
        _meter.CreateObservableGauge("glidepath.traces.queued", queueDepth, "{trace}", "Traces waiting for the batch writer");
    }

    public void Dispose() => _meter.Dispose();
}
