namespace Glidepath.Traces;

/// <summary>
/// A filter for listing traces, newest first. <see cref="ErrorsOnly"/>, <see cref="CancelledOnly"/>,
/// <see cref="OnlineFailedOnly"/> and <see cref="NegativeFeedbackOnly"/> each name a way a request went wrong; set
/// together, a trace that went wrong in any of those ways matches (the traces worth turning into eval cases).
/// </summary>
public sealed record TraceQuery
{
    public required string App { get; init; }
    public string? Environment { get; init; }
    public string? ReleaseId { get; init; }
    public string? Arm { get; init; }
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only requests that came with a key of this name.</summary>
    public string? KeyName { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>
    /// Only traces listed after this one, newest first (the next page of a list whose last trace it is): started earlier,
    /// or at the same instant with a greater id. Paging by time alone would skip or repeat traces that share an instant.
    /// </summary>
    public TraceCursor? OlderThan { get; init; }

    /// <summary>Requests that count against the release (<see cref="TraceRecord.IsError"/>).</summary>
    public bool ErrorsOnly { get; init; }

    /// <summary>
    /// Requests their caller closed before the answer ended (<see cref="TraceRecord.IsCancelled"/>, 499
    /// <c>client_closed</c>): what cancel_rate counts, and what <see cref="ErrorsOnly"/> does not list (outside trial
    /// cancels M2: a hold on cancel_rate pointed at <c>--failed</c>, which listed none of the caller's requests).
    /// </summary>
    public bool CancelledOnly { get; init; }

    /// <summary>
    /// Only requests that do not count against the release (not <see cref="TraceRecord.IsError"/>); filtered in the
    /// store, so the limit applies to matches. Combined with the others by AND.
    /// </summary>
    public bool AnsweredOnly { get; init; }

    /// <summary>Requests an online scorer did not pass (<c>OnlinePassed = false</c>).</summary>
    public bool OnlineFailedOnly { get; init; }

    /// <summary>Requests with at least one negative feedback (a score below <see cref="FeedbackScore.PositiveThreshold"/>, as the judge's feedback metric counts it).</summary>
    public bool NegativeFeedbackOnly { get; init; }

    /// <summary>Only requests sampled for online scoring (<c>OnlinePassed</c> set), whatever the outcome; combined with the others by AND.</summary>
    public bool ScoredOnly { get; init; }

    /// <summary>Only trace ids that start with these lower-case hex digits.</summary>
    public string? IdPrefix { get; init; }

    public int Limit { get; init; } = 50;
}
