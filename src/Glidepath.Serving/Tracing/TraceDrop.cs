namespace Glidepath.Serving.Tracing;

/// <summary>Why traces were dropped (all of them count in <see cref="TraceQueue.Dropped"/>, <c>traces_dropped</c>).</summary>
internal enum TraceDrop
{
    /// <summary>The queue was full (the store down or busy for long, or slower than the traffic): a new trace was not queued.</summary>
    QueueFull = 0,

    /// <summary>The store refused a batch while it could be reached: written again it would be refused again.</summary>
    Refused = 1,

    /// <summary>A batch stayed busy past <see cref="ServingOptions.StoreBusyLimit"/> and was given up.</summary>
    GivenUp = 2,

    /// <summary>The gateway stopped before the trace could be written.</summary>
    Stopped = 3,
}
