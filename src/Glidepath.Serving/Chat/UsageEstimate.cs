using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Chat;

/// <summary>
/// The estimate a call's trace gets where its provider did not report usage: about four characters a token, an image
/// or other file counted as 1,024 characters (about 256 tokens, a small image's price). One rule for the served call
/// (<see cref="ChatCall"/>) and the shadow candidate.
/// </summary>
internal static class UsageEstimate
{
    public static long Tokens(long characters) => (characters + 3) / 4;

    /// <summary>Characters of the prompt's messages.</summary>
    public static long Characters(IEnumerable<ChatMessage> messages)
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

    /// <summary>Characters of a whole answer: its text, and 16 for each tool call (as a stream's are counted).</summary>
    public static long AnswerCharacters(ChatResponse response)
    {
        long chars = 0;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                chars += content switch
                {
                    TextContent t => t.Text.Length,
                    FunctionCallContent => 16,
                    _ => 0,
                };
            }
        }

        return chars;
    }

    /// <summary>Whether a whole answer's usage has at least one count the provider reported.</summary>
    public static bool Reported(UsageDetails? usage) => usage is { } u && (u.InputTokenCount is not null || u.OutputTokenCount is not null);

    /// <summary>The estimate of a whole answer's usage when its provider reported none (<see cref="Reported"/>): the prompt's characters and the answer's.</summary>
    public static UsageDetails Of(ChatResponse response, IEnumerable<ChatMessage> prompt)
    {
        var usage = response.Usage ?? new UsageDetails();
        usage.InputTokenCount = Tokens(Characters(prompt));
        usage.OutputTokenCount = Tokens(AnswerCharacters(response));
        usage.TotalTokenCount = usage.InputTokenCount + usage.OutputTokenCount;
        return usage;
    }
}
