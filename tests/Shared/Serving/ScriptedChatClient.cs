using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Glidepath.Testing;

/// <summary>A model client whose answers the test decides; it records what the gateway or the SDK sent.</summary>
internal sealed class ScriptedChatClient(string model) : IChatClient
{
    public string Model { get; } = model;

    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> Answer { get; set; } =
        (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, "hello from the fake")) { FinishReason = ChatFinishReason.Stop, Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 4 } };

    /// <summary>Thrown instead of answering, when set.</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, streaming waits for it after the first update (a slow upstream).</summary>
    public TaskCompletionSource? HoldAfterFirstUpdate { get; set; }

    /// <summary>When set, a whole (not streamed) answer waits for it before it is given: a request held in flight at the upstream.</summary>
    public TaskCompletionSource? HoldBeforeAnswer { get; set; }

    public IReadOnlyList<ChatMessage>? LastMessages { get; private set; }

    public ChatOptions? LastOptions { get; private set; }

    public int Calls;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        LastMessages = [.. messages];
        LastOptions = options;
        if (HoldBeforeAnswer is { } hold)
        {
            return HeldAsync(hold.Task, LastMessages, options, cancellationToken);
        }

        return Failure is { } f ? Task.FromException<ChatResponse>(f) : Task.FromResult(Answer(LastMessages, options));
    }

    private async Task<ChatResponse> HeldAsync(Task hold, IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        await hold.WaitAsync(cancellationToken);
        return Failure is { } f ? throw f : Answer(messages, options);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Calls);
        LastMessages = [.. messages];
        LastOptions = options;
        if (Failure is { } f)
        {
            throw f;
        }

        var response = Answer(LastMessages, options);
        var first = true;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is TextContent text)
                {
                    foreach (var word in text.Text.Split(' '))
                    {
                        yield return new ChatResponseUpdate(ChatRole.Assistant, first ? word : " " + word);
                        if (first && HoldAfterFirstUpdate is { } hold)
                        {
                            await hold.Task.WaitAsync(cancellationToken);
                        }

                        first = false;
                    }
                }
                else
                {
                    yield return new ChatResponseUpdate(ChatRole.Assistant, [content]);
                }
            }
        }

        // The last update carries the answer's additional properties, as the providers pipeline puts the cost it priced there.
        yield return new ChatResponseUpdate { FinishReason = response.FinishReason, Contents = [new UsageContent(response.Usage ?? new UsageDetails())], AdditionalProperties = response.AdditionalProperties };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
