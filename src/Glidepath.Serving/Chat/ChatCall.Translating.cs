using System.Diagnostics;
using System.Runtime.CompilerServices;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Chat;

/// <summary>
/// The translating side of a call: the release applied to the request in the Microsoft.Extensions.AI pivot and sent
/// through the release's <see cref="IChatClient"/> (or the caller's own), whole or streamed; what the provider reported
/// is observed update by update, as the pass-through side's tap reads it from the provider's bytes.
/// </summary>
public sealed partial class ChatCall
{
    /// <summary>Calls the provider for the whole answer; null when it failed (see <see cref="Failure"/>).</summary>
    public async ValueTask<ChatResponse?> GetResponseAsync(CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException("Prepare the call before calling the provider");
        var callStart = Stopwatch.GetTimestamp();
        ChatResponse result;
        try
        {
            result = await client.GetResponseAsync(_messages!, _options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _trace.UpstreamTicks = Stopwatch.GetTimestamp() - callStart;
            CountCancelledAttempt();
            Failure = ChatFailure.ClientClosed;
            return null;
        }
        catch (Exception ex)
        {
            _trace.UpstreamTicks = Stopwatch.GetTimestamp() - callStart;
            Fail(ex);
            return null;
        }

        _trace.UpstreamTicks = Stopwatch.GetTimestamp() - callStart;
        if (_own is null)
        {
            _trace.Attempts = ModelResponseProperties.AttemptsOf(result.AdditionalProperties);
        }

        _trace.Output?.Append(result.Text);
        Usage = result.Usage;
        _usageComplete = result.Usage is not null;
        if (result.Usage is null)
        {
            CountAnswer(result); // for the estimate the trace gets instead (EstimatedUsage)
        }

        FinishReason = result.FinishReason;
        _cost = ModelResponseProperties.CostOf(result.AdditionalProperties);
        return result;
    }

    /// <summary>
    /// Calls the provider for a streamed answer and yields its updates as they come; the stream ends early when the
    /// provider fails or the caller goes away (see <see cref="Failure"/>). Time spent by the host between updates is
    /// the host's, not the provider's.
    /// </summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = _client ?? throw new InvalidOperationException("Prepare the call before calling the provider");
        _streamed = true;
        _streamToken = cancellationToken;
        var trace = _trace;
        await using var updates = client.GetStreamingResponseAsync(_messages!, _options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            var t0 = Stopwatch.GetTimestamp();
            bool has;
            try
            {
                has = await updates.MoveNextAsync().ConfigureAwait(false);
                trace.UpstreamTicks += Stopwatch.GetTimestamp() - t0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                trace.UpstreamTicks += Stopwatch.GetTimestamp() - t0;
                CountCancelledAttempt();
                Failure = ChatFailure.ClientClosed;
                has = false;
            }
            catch (Exception ex)
            {
                trace.UpstreamTicks += Stopwatch.GetTimestamp() - t0;
                Fail(ex);
                has = false;
            }

            if (!has)
            {
                yield break;
            }

            var update = updates.Current;
            if (!_streamBegan && _own is null)
            {
                // The pipeline puts the attempts a stream took on its first update (only when more than one).
                trace.Attempts = ModelResponseProperties.AttemptsOf(update.AdditionalProperties);
            }

            _streamBegan = true;
            Observe(update);
            yield return update;
        }
    }

    /// <summary>
    /// A translated call the caller left before it ended: at least one attempt was sent (how many more, the retry policy
    /// did not say before it was cancelled).
    /// </summary>
    private void CountCancelledAttempt()
    {
        if (_own is null)
        {
            _trace.Attempts = Math.Max(_trace.Attempts, 1);
        }
    }

    private void Observe(ChatResponseUpdate update)
    {
        FinishReason = update.FinishReason ?? FinishReason;

        // What the provider reported before the answer (Anthropic's message_start) is the usage known if the stream is cut:
        // kept, as the pass-through tap keeps it, so an estimate starts from the provider's own counts.
        Usage ??= ModelResponseProperties.PromptUsageOf(update.AdditionalProperties);
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case UsageContent u:
                    Usage = u.Details;
                    _usageComplete = true;
                    break;
                case TextContent { Text.Length: > 0 } text:
                    _trace.FirstToken ??= Stopwatch.GetTimestamp();
                    _trace.Output?.Append(text.Text);
                    _outputChars += text.Text.Length;
                    break;
                case FunctionCallContent:
                    _trace.FirstToken ??= Stopwatch.GetTimestamp();
                    _outputChars += 16;
                    break;
            }
        }

        _cost = ModelResponseProperties.CostOf(update.AdditionalProperties) ?? _cost;
    }
}
