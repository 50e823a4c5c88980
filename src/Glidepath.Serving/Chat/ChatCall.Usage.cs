using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Chat;

/// <summary>What a call cost when the provider did not report it in full: its usage is estimated where it is missing.</summary>
public sealed partial class ChatCall
{
    /// <summary>
    /// For <see cref="EstimatedUsage"/>: the request as prepared and the release's prompt length (its characters are
    /// counted only for a call that needs the estimate, not on every request), and the answer's characters seen.
    /// </summary>
    private ChatRequest? _prepared;
    private int _promptChars;
    private long _outputChars;

    /// <summary>Whether the translating side got a usage update (a whole answer's, a stream's), not only message_start's input in the first one.</summary>
    private bool _usageComplete;

    /// <summary>
    /// Whether the provider reported the call's usage in full, with at least one count: then nothing is estimated. Both
    /// providers report it with or after the finish reason (a whole answer's, OpenAI's usage chunk, Anthropic's
    /// <c>message_delta</c>), so a usage without one is what came before the answer ended (Anthropic's message_start,
    /// which the SDK's chat client hands over at the end of a cut stream too): its counts are kept, the rest estimated.
    /// </summary>
    private bool UsageReported =>
        (_usageComplete || _forward is { UsageComplete: true }) && FinishReason is not null
        && Usage is { } u && (u.InputTokenCount is not null || u.OutputTokenCount is not null);

    /// <summary>
    /// Estimates what the provider did not report (<see cref="EstimatedUsage"/>) into <see cref="Usage"/>; true when it
    /// reported it all, and the cost priced from it stands.
    /// </summary>
    private bool EstimateUnreportedUsage()
    {
        if (UsageReported)
        {
            return true;
        }

        Usage = EstimatedUsage(Usage);
        return false;
    }

    /// <summary>A whole answer without usage: its text and tool calls are counted as a stream's are (<see cref="Observe"/>), for the estimate.</summary>
    private void CountAnswer(ChatResponse response) => _outputChars += UsageEstimate.AnswerCharacters(response);

    /// <summary>
    /// A caller who goes away before the usage arrives (it comes with a stream's last event), a stream the provider cut
    /// or failed after it began, or a provider that never reports usage (one that ignores
    /// <c>stream_options.include_usage</c>) still cost the provider the prompt and what was sent: what the provider did
    /// not report is estimated at about four characters a token for the prompt and the text seen, and a token per
    /// forwarded text or tool-call event, so the trace's cost (and the key's budget) is not zero.
    /// </summary>
    /// <param name="known">
    /// What the provider reported before the answer ended (Anthropic's message_start: the input, and the output so far):
    /// its input count is kept (the estimate only stands in for one that is missing or 0), its output count is raised to
    /// the estimate where that is larger.
    /// </param>
    private UsageDetails EstimatedUsage(UsageDetails? known)
    {
        var usage = known ?? new UsageDetails();
        if (known?.InputTokenCount is not > 0)
        {
            var inputChars = (_prepared is null ? 0 : UsageEstimate.Characters(_prepared.Messages)) + _promptChars;
            usage.InputTokenCount = UsageEstimate.Tokens(inputChars);
        }

        var outputChars = _outputChars + (_forward?.TextChars ?? 0);
        usage.OutputTokenCount = Math.Max(Math.Max(UsageEstimate.Tokens(outputChars), _forward?.Deltas ?? 0), known?.OutputTokenCount ?? 0);
        usage.TotalTokenCount = usage.InputTokenCount + usage.OutputTokenCount;
        return usage; // the provider's other counts (cached input, reasoning) as it reported them
    }
}
