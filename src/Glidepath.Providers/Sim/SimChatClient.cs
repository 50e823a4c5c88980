using System.Runtime.CompilerServices;
using Glidepath.Errors;
using Glidepath.Manifests;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Sim;

/// <summary>
/// <c>provider: sim</c>: answers with <see cref="SimEngine"/>, takes time drawn from a seeded log-normal
/// (first token ~300 ms, ~40 tokens/s, times <c>latency_scale</c>), and injects the release's faults.
/// The per-call draws take the process's <c>salt</c> when there is one (<see cref="SimProcessSalt"/>).
/// </summary>
internal sealed class SimChatClient(ModelSpec model, SimOptions sim, int trialIndex, TimeProvider time, SimCallCounter.Sequence calls, string? salt = null) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new("sim", new Uri("sim://local"), model.Name);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = Plan(messages, options);
        await DelayAsync(plan.FirstToken + plan.PerToken * plan.Answer.OutputTokens, cancellationToken).ConfigureAwait(false);
        await FaultAsync(plan, cancellationToken).ConfigureAwait(false);
        var message = new ChatMessage(ChatRole.Assistant, Contents(plan.Answer)) { MessageId = plan.ResponseId };
        return new ChatResponse(message)
        {
            ResponseId = plan.ResponseId,
            ModelId = options?.ModelId ?? model.Name,
            FinishReason = plan.Answer.FinishReason,
            Usage = Usage(plan.Answer),
            CreatedAt = time.GetUtcNow(),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var plan = Plan(messages, options);
        await DelayAsync(plan.FirstToken, cancellationToken).ConfigureAwait(false);
        await FaultAsync(plan, cancellationToken).ConfigureAwait(false);
        var modelId = options?.ModelId ?? model.Name;
        var words = plan.Answer.Text.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            if (i > 0)
            {
                await DelayAsync(plan.PerToken * Math.Max(1, SimEngine.EstimateTokens(words[i])), cancellationToken).ConfigureAwait(false);
            }

            yield return Update(plan, modelId, new TextContent(i == 0 ? words[i] : " " + words[i]));
        }

        foreach (var call in plan.Answer.ToolCalls)
        {
            yield return Update(plan, modelId, call);
        }

        var last = Update(plan, modelId, new UsageContent(Usage(plan.Answer)));
        last.FinishReason = plan.Answer.FinishReason;
        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    private SimPlan Plan(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var call = calls.Next();
        var faults = Draw("faults", call);
        var roll = faults.NextDouble();
        var fault = roll < sim.ErrorRate ? Fault.Error : roll < sim.ErrorRate + sim.TimeoutRate ? Fault.Timeout : Fault.None;
        var offPolicy = faults.NextDouble() < sim.OffPolicyRate;
        var list = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var answer = SimEngine.Answer(list, options, sim, trialIndex, offPolicy, faults);

        var latency = Draw("latency", call);
        var first = TimeSpan.FromMilliseconds(SimRandom.LogNormal(latency, sim.FirstTokenMs, 0.3) * sim.LatencyScale + sim.SlowFirstTokenMs);
        var perToken = TimeSpan.FromMilliseconds(1000.0 / sim.TokensPerSecond * sim.LatencyScale * SimRandom.LogNormal(latency, 1.0, 0.15));
        return new SimPlan(answer, fault, first, perToken, "sim-" + call.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    // Unsalted, the draws are those of every release before salts existed (evals and tests reproduce them).
    private Random Draw(string stream, long call) =>
        salt is null ? SimRandom.From(stream, sim.Seed, call) : SimRandom.From(stream, sim.Seed, salt, call);

    private async Task FaultAsync(SimPlan plan, CancellationToken cancellationToken)
    {
        switch (plan.Fault)
        {
            case Fault.Error:
                throw new ProviderException("sim", 500, $"injected fault: simulated server error (release.model.options.faults.error_rate = {sim.ErrorRate})", ProviderFailure.ServerError);
            case Fault.Timeout:
                // A hung provider: nothing arrives until the caller's timeout gives up.
                await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, time, cancellationToken) : Task.CompletedTask;

    private static List<AIContent> Contents(SimAnswer answer)
    {
        var contents = new List<AIContent>();
        if (answer.Text.Length > 0)
        {
            contents.Add(new TextContent(answer.Text));
        }

        contents.AddRange(answer.ToolCalls);
        return contents;
    }

    private static UsageDetails Usage(SimAnswer answer) => new()
    {
        InputTokenCount = answer.InputTokens,
        OutputTokenCount = answer.OutputTokens,
        TotalTokenCount = answer.InputTokens + answer.OutputTokens,
    };

    private static ChatResponseUpdate Update(SimPlan plan, string modelId, AIContent content) => new(ChatRole.Assistant, [content])
    {
        ResponseId = plan.ResponseId,
        MessageId = plan.ResponseId,
        ModelId = modelId,
    };
}
