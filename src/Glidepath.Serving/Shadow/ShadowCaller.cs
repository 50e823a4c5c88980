using Glidepath.Models;
using Glidepath.Routing;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Routing;
using Glidepath.Serving.Tracing;
using Glidepath.Shadow;
using Glidepath.Traces;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Shadow;

/// <summary>
/// Answers one mirrored request with the candidate exactly as serving would (its release applied by the same
/// <see cref="ReleaseApplier"/>, its model client from <see cref="ServingReleases"/>), in the caller's mode (streamed
/// when the caller's answer was, read to its end) and never returned; a tool call in its answer is recorded, never
/// executed. Scores both answers with the online scorers (and asks the pairwise judge, when the manifest names one,
/// which is better) and builds the candidate's trace (arm <c>shadow</c>) and the pair. A failure of the candidate is a
/// candidate error in the pair, never a pass.
/// </summary>
/// <remarks>
/// The pair's latencies are like for like: each side's time waiting for its provider, measured as <see cref="ChatCall"/>
/// measures the stable call's — a whole answer from the call to its return, a streamed one as the waits for each of its
/// updates up to the last. Until 2026-12-06 the candidate was always called whole, and beside a streamed stable call
/// that compared two different timings (an outside trial: ×1.09–1.11 for an identical sim candidate).
/// </remarks>
internal sealed class ShadowCaller(ChatService service, PairwiseJudge? judge, TimeProvider time)
{
    public async Task<(TraceRecord Trace, ShadowPairRecord Pair)> CallAsync(ShadowJob job, CancellationToken cancellationToken)
    {
        var stable = job.Stable;
        var startedAt = time.GetUtcNow();
        var start = time.GetTimestamp();
        var clock = new ProviderClock(time, start);
        var (status, error, response, release, upstreamStatus, upstreamMessage) = await AnswerAsync(job, clock, cancellationToken).ConfigureAwait(false);
        var latencyMs = time.GetElapsedTime(start).TotalMilliseconds;
        var input = response?.Usage?.InputTokenCount ?? 0;
        var output = response?.Usage?.OutputTokenCount ?? 0;
        // On the caller's own client the model and its price are the caller's, as for the stable call (ChatCall).
        var price = job.Own is null ? release?.Price : service.Releases.PriceOf(job.Options.ModelId);
        var known = ModelResponseProperties.CostOf(response?.AdditionalProperties) ?? price?.Cost(response?.Usage);
        var cost = (double)(known ?? 0m);
        var text = response?.Text ?? "";
        var ok = status == 200;
        // A stable call that failed is mirrored too: its pair holds stable's error, no stable score and no preference.
        var stableOk = stable.Status == 200;
        var stableScore = stableOk ? await service.Online.ScoreAnswerAsync(job.Messages, job.StableText, stable.LatencyMs, service.Online.KnownCost(stable), cancellationToken).ConfigureAwait(false) : null;
        var candidateScore = ok ? await service.Online.ScoreAnswerAsync(job.Messages, text, latencyMs, known is null ? null : cost, cancellationToken).ConfigureAwait(false) : null;
        double? preference = ok && stableOk && judge is not null ? await judge.PreferenceAsync(job.Messages, job.StableText, text, cancellationToken).ConfigureAwait(false) : null;
        var trace = new TraceRecord
        {
            TraceId = Tracing.TraceIds.New(startedAt),
            App = stable.App,
            Environment = stable.Environment,
            ReleaseId = job.Shadow.Release.Id,
            Arm = Arm.Shadow,
            SubjectHash = stable.SubjectHash,
            StartedAt = startedAt,
            Api = stable.Api,
            Stream = job.Streamed, // called in the caller's mode (trial shadowcaps #5: stored as 0 with a time to first token)
            Model = job.Own is null ? release?.Model.Name : job.Options.ModelId,
            Status = status,
            Error = error,
            UpstreamStatus = upstreamStatus,
            UpstreamMessage = upstreamMessage,
            LatencyMs = latencyMs,
            TimeToFirstTokenMs = clock.FirstTokenMs,
            OverheadMs = 0,
            InputTokens = input,
            OutputTokens = output,
            CostUsd = cost,
            FinishReason = response?.FinishReason?.Value,
            InputJson = stable.InputJson,
            OutputText = stable.OutputText is not null && ok ? service.Capture.Output(text) : null,
            OnlineScore = candidateScore?.Score,
            OnlinePassed = candidateScore?.Passed,
            OnlineScoresJson = candidateScore?.Json,
        };
        var pair = new ShadowPairRecord
        {
            ShadowId = job.Shadow.ShadowId,
            App = stable.App,
            Environment = stable.Environment,
            StableTraceId = stable.TraceId,
            CandidateTraceId = trace.TraceId,
            StableReleaseId = stable.ReleaseId,
            CandidateReleaseId = job.Shadow.Release.Id,
            CreatedAt = startedAt,
            Group = SubjectGroups.Of(stable.SubjectHash, stable.TraceId),
            StableError = !stableOk,
            CandidateError = !ok,

            // Time waiting for the provider on both sides: the stable trace's latency includes writing to the caller.
            StableLatencyMs = Math.Max(stable.LatencyMs - stable.OverheadMs, 0),
            CandidateLatencyMs = ok ? clock.WaitedMs : null,
            StableCostUsd = stable.CostUsd,
            CandidateCostUsd = cost,
            StablePassed = stableScore?.Passed,
            CandidatePassed = candidateScore?.Passed,
            StableScore = stableScore?.Score,
            CandidateScore = candidateScore?.Score,
            CandidatePreference = preference,
        };
        return (trace, pair);
    }

    /// <summary>
    /// The candidate answering the caller's own body patched with its release, through its forwarder (the pass-through
    /// path: no translation, as the caller was served), read into the same <see cref="ChatResponse"/> shape the pair needs.
    /// </summary>
    private static async Task<ChatResponse> ForwardAsync(Glidepath.Providers.Forwarding.ModelForwarder forwarder, ReadOnlyMemory<byte> body, string? anthropicBeta, CancellationToken cancellationToken)
    {
        var exchange = new Glidepath.Providers.Forwarding.ForwardExchange(stream: false, keepText: true, callerWantsUsage: false) { AnthropicBeta = anthropicBeta };
        using var answer = await forwarder.SendAsync(body, exchange, cancellationToken).ConfigureAwait(false);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, exchange.Text?.ToString() ?? ""))
        {
            Usage = exchange.Usage,
            FinishReason = exchange.FinishReason,
        };
        if (exchange.CostUsd is { } cost)
        {
            response.AdditionalProperties = new() { [ModelResponseProperties.CostUsd] = cost };
        }

        return response;
    }

    private async Task<(int Status, string? Error, ChatResponse? Response, ServingRelease? Release, int? UpstreamStatus, string? UpstreamMessage)> AnswerAsync(ShadowJob job, ProviderClock clock, CancellationToken cancellationToken)
    {
        ServingRelease release;
        List<ChatMessage> messages;
        ChatOptions options;
        try
        {
            release = service.Releases.GetShadow(job.Shadow.Release);
            var (vars, environmentOnly) = service.Vars(job.Vars);
            if (!release.TrySystemPrompt(vars, environmentOnly, shared: true, out var prompt, out var error))
            {
                var failure = service.PromptFailure(release, vars, error, candidate: true); // counts against the candidate, as on the canary
                return (failure.Status, failure.TraceError, null, release, null, null);
            }

            if (service.ToolChoiceFailure(release, job.Options, candidate: true) is { } toolChoice)
            {
                return (toolChoice.Status, toolChoice.TraceError, null, release, null, null); // as on the canary
            }

            (messages, options) = release.Applier.Apply(prompt, job.Messages, job.Options);
            if (job.Own is not null)
            {
                OwnClient.Keep(options, job.Options);
                OwnClient.ForShadow(options);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (503, "configuration", null, null, null, null);
        }

        try
        {
            var client = job.Own ?? release.Client;
            ChatResponse response;
            if (job.Streamed)
            {
                response = await clock.ReadStreamAsync(client.GetStreamingResponseAsync(messages, options, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var t0 = time.GetTimestamp();
                response = job.Own is null && job.Forwarded is { } forwarded && release.Forwarder is { } forwarder && forwarder.Wire == forwarded.Wire
                    ? await ForwardAsync(forwarder, forwarded.Patch(release.Applier, messages[0].Text), job.AnthropicBeta, cancellationToken).ConfigureAwait(false)
                    : await client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
                clock.Waited(t0);
            }

            // A provider that reports no usage still charged for the call: the candidate's trace, its cost in the pair
            // and the shadow budget get the estimate the served call's trace gets (UsageEstimate), priced as it is (the
            // cost the client priced from no usage is 0), never free.
            if (!UsageEstimate.Reported(response.Usage))
            {
                response.Usage = UsageEstimate.Of(response, messages);
                response.AdditionalProperties?.Remove(ModelResponseProperties.CostUsd);
            }

            return (200, null, response, release, null, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = ProviderErrors.Map(ex);
            var (upstreamStatus, upstreamMessage) = ProviderErrors.Upstream(ex);
            return (failure.Status, failure.TraceError, null, release, upstreamStatus, upstreamMessage);
        }
    }
}
