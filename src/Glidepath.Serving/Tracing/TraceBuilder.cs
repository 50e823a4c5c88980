using System.Diagnostics;
using Glidepath.Manifests;
using Glidepath.Routing;

namespace Glidepath.Serving.Tracing;

/// <summary>What one request has gathered for its trace so far (timestamps are <see cref="Stopwatch"/> ticks).</summary>
internal sealed class TraceBuilder
{
    public required string TraceId { get; init; }
    public required RouteDecision Decision { get; init; }
    public string? SubjectHash { get; init; }
    public string? KeyId { get; init; }
    public string? KeyName { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required long Start { get; init; }
    public required string Api { get; init; }
    public bool Stream { get; init; }
    public string? Model { get; set; }
    public ModelPrice? Price { get; set; }

    /// <summary>Ticks spent waiting for the provider.</summary>
    public long UpstreamTicks { get; set; }

    /// <summary>Attempts Glidepath's provider pipeline sent (<see cref="Glidepath.Traces.TraceRecord.Attempts"/>); 0 while none is counted.</summary>
    public int Attempts { get; set; }

    /// <summary>What the provider said when it failed: its status and its scrubbed message.</summary>
    public int? UpstreamStatus { get; set; }
    public string? UpstreamMessage { get; set; }

    public long? FirstToken { get; set; }
    public string? InputJson { get; set; }
    public AnswerText? Output { get; set; }

    /// <summary>Whether the capture policy keeps this request's content (else Output is only for online scoring).</summary>
    public bool CaptureContent { get; set; }

    /// <summary>The caller's messages when this request is sampled for online scoring; else null.</summary>
    public IReadOnlyList<Microsoft.Extensions.AI.ChatMessage>? OnlineRequest { get; set; }

    /// <summary>Set once the trace record has been queued, so no path queues it twice.</summary>
    public bool Finished { get; set; }

    /// <summary>Time in the gateway itself up to <paramref name="now"/>: elapsed minus waiting for the provider.</summary>
    public double OverheadMs(long now) =>
        Math.Max(0, (now - Start - UpstreamTicks) * 1000.0 / Stopwatch.Frequency);
}
