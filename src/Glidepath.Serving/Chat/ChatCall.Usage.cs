using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Chat;

/// <summary>What a call cost when its usage never arrived: the caller went away first.</summary>
public sealed partial class ChatCall
{
    /// <summary>
    /// For <see cref="EstimatedUsage"/>: the request as prepared and the release's prompt length (its characters are
    /// counted only for a call that needs the estimate, not on every request), and the answer's characters seen.
    /// </summary>
    private ChatRequest? _prepared;
    private int _promptChars;
    private long _outputChars;

    /// <summary>Characters of the prompt's messages; an image or other file counts as 1,024 (about 256 tokens, a small image's price).</summary>
    private static long Characters(List<ChatMessage> messages)
    {
        long chars = 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                chars += content switch
                {
                    TextContent t => t.Text.Length,
                    FunctionResultContent r => r.Result?.ToString()?.Length ?? 0,
                    FunctionCallContent c => 16 + (c.Arguments?.Sum(a => a.Key.Length + (a.Value?.ToString()?.Length ?? 4)) ?? 0),
                    DataContent or UriContent => 1_024,
                    _ => 16,
                };
            }
        }

        return chars;
    }

    /// <summary>
    /// A caller who goes away before the usage arrives (it comes with a stream's last event), or a stream the provider cut
    /// or failed after it began, still cost the provider
    /// the prompt and what was sent: estimated at about four characters a token for the prompt and the text seen, and
    /// a token per forwarded text or tool-call event, so the trace's cost (and the key's budget) is not zero.
    /// </summary>
    /// <param name="known">What the provider reported before the caller left (Anthropic's first event carries the output so far, and an input count that may be 0): its counts are kept, and raised to the estimate where that is larger.</param>
    private UsageDetails EstimatedUsage(UsageDetails? known)
    {
        var usage = known ?? new UsageDetails();
        var inputChars = (_prepared is null ? 0 : Characters(_prepared.Messages)) + _promptChars;
        usage.InputTokenCount = Math.Max((inputChars + 3) / 4, known?.InputTokenCount ?? 0);
        var outputChars = _outputChars + (_forward?.TextChars ?? 0);
        usage.OutputTokenCount = Math.Max(Math.Max((outputChars + 3) / 4, _forward?.Deltas ?? 0), known?.OutputTokenCount ?? 0);
        usage.TotalTokenCount = usage.InputTokenCount + usage.OutputTokenCount;
        return usage; // the provider's other counts (cached input, reasoning) as it reported them
    }
}
