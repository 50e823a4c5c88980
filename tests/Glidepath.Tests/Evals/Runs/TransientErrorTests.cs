using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Storage.InMemory;
using Microsoft.Extensions.AI;
using static Glidepath.Tests.Evals.Scorers.ScorerTestKit;

namespace Glidepath.Tests.Evals.Runs;

/// <summary>
/// Trial gate1000 HIGH-1: an errored trial is stored with whether a resume is expected to fix it. A provider that cannot be
/// reached, times out, rate limits or answers 5xx (the model's or the judge's) is; a refusal of the case and a judge answer
/// that cannot be read are not.
/// </summary>
public sealed class TransientErrorTests
{
    [Fact]
    public async Task RunAsync_EachErrorIsStoredWithWhetherAResumeIsExpectedToFixIt()
    {
        var store = new InMemoryStore();
        var cases = new[] { "down", "busy", "refused", "judge-down", "judge-unreadable", "fine" }
            .Select(id => new EvalCase { Id = id, Messages = [new ChatMessage(ChatRole.User, id)] })
            .ToList();
        var run = new EvalRun
        {
            Id = "20261207-000000-7a45",
            App = "app",
            Kind = EvalRunKind.Eval,
            ReleaseId = new string('a', 64),
            DatasetPath = "cases.jsonl",
            DatasetSha256 = new string('d', 64),
            Trials = 1,
            CaseCount = cases.Count,
            ScorerVersion = "v",
            Concurrency = 1,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        await store.EvalRuns.CreateAsync(run, CancellationToken.None);
        using var scorers = Set(_ => new Judge(), Spec("llm_judge", """{"rubric":"rubric.md","model":{"provider":"openai","name":"judge-1"},"pass":0.7}"""));

        await new EvalRunner(store.EvalRuns, scorers, TimeProvider.System).RunAsync(run, cases.ToAsyncEnumerable(), [new Target(run.ReleaseId)], CancellationToken.None);

        var stored = (await store.EvalRuns.ResultsAsync(run.Id, CancellationToken.None)).ToDictionary(r => r.CaseId, r => (r.Status, r.TransientError));
        Assert.Equal((TrialStatus.Error, true), stored["down"]);
        Assert.Equal((TrialStatus.Error, true), stored["busy"]);
        Assert.Equal((TrialStatus.Error, false), stored["refused"]);
        Assert.Equal((TrialStatus.Error, true), stored["judge-down"]);
        Assert.Equal((TrialStatus.Error, false), stored["judge-unreadable"]);
        Assert.Equal((TrialStatus.Pass, false), stored["fine"]);
    }

    [Theory]
    [InlineData(ProviderFailure.Connection, null, true)]
    [InlineData(ProviderFailure.Timeout, null, true)]
    [InlineData(ProviderFailure.RateLimited, 429, true)]
    [InlineData(ProviderFailure.ServerError, 502, true)]
    [InlineData(ProviderFailure.Rejected, 400, false)]
    [InlineData(ProviderFailure.Rejected, 422, false)]
    [InlineData(ProviderFailure.MalformedResponse, 200, false)]
    [InlineData(ProviderFailure.Configuration, null, false)]
    public void Of_ProviderFailure_TransientAsItsKindSays_AlsoWrapped(ProviderFailure failure, int? status, bool transient)
    {
        var provider = new ProviderException("openai", status, "said", failure);
        Assert.Equal(transient, TransientFailure.Of(provider));
        Assert.Equal(transient, TransientFailure.Of(new ScorerException("the judge failed", provider)));
    }

    [Fact]
    public void Of_NetworkFailureOfAClientOfOnesOwn_IsTransient_AnythingElseIsNot()
    {
        Assert.True(TransientFailure.Of(new InvalidOperationException("wrapped", new HttpRequestException("connection refused"))));
        Assert.True(TransientFailure.Of(new TimeoutException("no answer")));
        Assert.False(TransientFailure.Of(new InvalidOperationException("a bug")));
        Assert.False(TransientFailure.Of(null));
    }

    private sealed class Target(string releaseId) : IEvalTarget
    {
        public string ReleaseId => releaseId;

        public Task<TargetResponse> InvokeAsync(EvalCase evalCase, int trial, CancellationToken cancellationToken) => evalCase.Id switch
        {
            "down" => throw new ProviderException("openai", null, "cannot reach http://127.0.0.1:9/v1/chat/completions: Connection refused", ProviderFailure.Connection),
            "busy" => throw new ProviderException("openai", 503, "overloaded", ProviderFailure.RateLimited),
            "refused" => throw new ProviderException("openai", 400, "the content is refused", ProviderFailure.Rejected),
            _ => Task.FromResult(new TargetResponse(evalCase.Messages.ToList(), new ChatResponse(new ChatMessage(ChatRole.Assistant, $"answer to {evalCase.Id}")), 1, null)),
        };
    }

    private sealed class Judge : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var prompt = string.Join("\n", messages.Select(m => m.Text));
            return prompt.Contains("answer to judge-down", StringComparison.Ordinal)
                ? throw new ProviderException("openai", null, "no response within 5 s (timeout)", ProviderFailure.Timeout)
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, prompt.Contains("answer to judge-unreadable", StringComparison.Ordinal) ? "It is pretty good." : "{\"score\": 1}")));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
