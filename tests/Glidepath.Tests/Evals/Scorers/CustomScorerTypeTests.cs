using Glidepath.Errors;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Runs;
using Glidepath.Evals.Scorers;
using Glidepath.Manifests;
using Glidepath.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Tests.Evals.Scorers;

/// <summary>A scorer type registered in code is named in the manifest, parsed with its options, and run by an eval.</summary>
public sealed class CustomScorerTypeTests
{
    private const string SampleScorers = """
            - { type: contains }          # reads expect.contains of each case
            - { type: not_contains, values: ["As an AI"] }
            - { type: tool_call }         # reads expect.tool_call of each case

        """;

    private static TempDir SampleWithEvalScorers(string scorers)
    {
        var dir = TempDir.WithSample();
        var yaml = dir.Read("glidepath.yaml");
        Assert.Contains(SampleScorers, yaml, StringComparison.Ordinal);
        dir.Write("glidepath.yaml", yaml.Replace(SampleScorers, scorers, StringComparison.Ordinal));
        return dir;
    }

    private static ScorerRegistry WithPolite() =>
        ScorerRegistry.CreateDefault().Register("polite", (spec, _) => new PoliteEvaluator(spec.GetString("phrase") ?? "thank"));

    // What the built-ins read is known, so a dataset is checked against it; a type registered in code may read any key,
    // so a set with one leaves the dataset's keys unchecked.
    [Fact]
    public void Reads_BuiltInsKnown_ACustomTypeLeavesItUnknown()
    {
        using var builtIns = SampleWithEvalScorers("    - { type: contains }\n    - { type: regex, pattern: 'x' }\n");
        using var custom = SampleWithEvalScorers("    - { type: contains }\n    - { type: polite }\n");
        var registry = WithPolite();

        using var known = ScorerSet.Build(ManifestParser.Load(builtIns.File("glidepath.yaml"), registry).Eval!.Scorers, registry, new ScorerBuildContext { ReadFile = _ => [] });
        using var unknown = ScorerSet.Build(ManifestParser.Load(custom.File("glidepath.yaml"), registry).Eval!.Scorers, registry, new ScorerBuildContext { ReadFile = _ => [] });

        Assert.Equal(["contains", "icontains"], known.Reads!.Keys);
        Assert.True(known.Reads.EveryCase);
        Assert.Null(unknown.Reads);
    }

    [Fact]
    public async Task EvalRun_TypeRegisteredInCodeAndNamedInManifest_ScoresEveryTrialWithItsOptions()
    {
        using var dir = SampleWithEvalScorers("    - { type: polite, phrase: with pleasure, weight: 2 }\n");
        var registry = WithPolite();

        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"), registry);
        var dataset = await DatasetReader.LoadAsync(dir.File(manifest.Eval!.Dataset), manifest.Eval.Dataset, CancellationToken.None);
        var cases = dataset.Cases.Take(4).ToList();
        using var scorers = ScorerSet.Build(manifest.Eval.Scorers, registry, new ScorerBuildContext { ReadFile = path => File.ReadAllBytes(dir.File(path)) });
        var store = new MemoryEvalRunStore();
        var run = new EvalRun
        {
            Id = "20260101-000000-cust",
            App = manifest.App,
            Kind = EvalRunKind.Eval,
            ReleaseId = new string('a', 64),
            DatasetPath = manifest.Eval.Dataset,
            DatasetSha256 = dataset.Sha256,
            Trials = 2,
            CaseCount = cases.Count,
            ScorerVersion = scorers.Version,
            Concurrency = 1,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        await store.CreateAsync(run, CancellationToken.None);

        // Polite on even cases only, so the custom scorer decides pass and fail.
        var target = new ScriptedTarget(run.ReleaseId, c => cases.IndexOf(c) % 2 == 0 ? "With pleasure: 30 days." : "30 days.");
        await new EvalRunner(store, scorers, TimeProvider.System).RunAsync(run, cases.ToAsyncEnumerable(), [target], CancellationToken.None);

        var results = await store.ResultsAsync(run.Id, CancellationToken.None);
        Assert.Equal(cases.Count * run.Trials, results.Count);
        Assert.All(results, r =>
        {
            var outcome = Assert.Single(r.Scores);
            Assert.Equal("polite", outcome.Scorer);
            Assert.Equal(2, outcome.Weight);
            var polite = cases.FindIndex(c => c.Id == r.CaseId) % 2 == 0;
            Assert.Equal(polite, outcome.Passed);
            Assert.Equal(polite ? TrialStatus.Pass : TrialStatus.Fail, r.Status);
        });
    }

    [Fact]
    public void Load_TypeRegisteredInCodeButNotInTheDefaultRegistry_ReportsFileLineAndTheBuiltInTypes()
    {
        using var dir = SampleWithEvalScorers("    - { type: polite }\n");

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml")));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("glidepath.yaml", error.File);
        Assert.Equal((26, 15), (error.Line, error.Column));
        Assert.Equal($"unknown scorer type 'polite'; expected one of: {string.Join(", ", BuiltInScorers.All.Select(t => t.Name))}", error.Message);
        Assert.Equal(FailureKind.BadInput, ex.Kind);
    }

    [Fact]
    public void Load_TypoInACustomType_ListsTheRegisteredTypesToo()
    {
        using var dir = SampleWithEvalScorers("    - { type: polit }\n");

        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml"), WithPolite()));

        Assert.Equal("glidepath.yaml:26:15: unknown scorer type 'polit'; expected one of: exact, contains, not_contains, regex, json_valid, json_schema, "
            + "tool_call, similarity, max_latency_ms, max_cost, llm_judge, polite; did you mean 'polite'?", Assert.Single(ex.Errors).ToString());
    }

    [Fact]
    public void Load_CustomTypeOnline_AcceptedUnlessItNeedsAReference()
    {
        using var dir = TempDir.WithSample();
        dir.Write("glidepath.yaml", dir.Read("glidepath.yaml").Replace("- { type: max_latency_ms, value: 8000 }", "- { type: polite }", StringComparison.Ordinal));

        var manifest = ManifestParser.Load(dir.File("glidepath.yaml"), WithPolite());
        var strict = ScorerRegistry.CreateDefault().Register(new ScorerType("polite", (_, _) => new PoliteEvaluator("thank")) { NeedsReference = true });
        var ex = Assert.Throws<ManifestException>(() => ManifestParser.Load(dir.File("glidepath.yaml"), strict));

        Assert.Equal("polite", manifest.Online!.Scorers[^1].Type);
        Assert.Contains("scorer 'polite' reads a case's expectations", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
    }

    private sealed class PoliteEvaluator(string phrase) : IEvaluator
    {
        public IReadOnlyCollection<string> EvaluationMetricNames => ["polite"];

        public ValueTask<EvaluationResult> EvaluateAsync(IEnumerable<ChatMessage> messages, ChatResponse modelResponse, ChatConfiguration? chatConfiguration = null,
            IEnumerable<EvaluationContext>? additionalContext = null, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new EvaluationResult(new BooleanMetric("polite", modelResponse.Text.Contains(phrase, StringComparison.OrdinalIgnoreCase))));
    }

    private sealed class ScriptedTarget(string releaseId, Func<EvalCase, string> answer) : IEvalTarget
    {
        public string ReleaseId => releaseId;

        public Task<TargetResponse> InvokeAsync(EvalCase evalCase, int trial, CancellationToken cancellationToken) =>
            Task.FromResult(new TargetResponse(evalCase.Messages, new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(evalCase))), 5, 0.0001));
    }

    /// <summary>Just enough of a store for one run: results kept in memory, first write wins.</summary>
    private sealed class MemoryEvalRunStore : IEvalRunStore
    {
        private readonly Dictionary<string, EvalRun> _runs = [];
        private readonly Dictionary<TrialKey, TrialResult> _results = [];

        public Task CreateAsync(EvalRun run, CancellationToken cancellationToken)
        {
            _runs.Add(run.Id, run);
            return Task.CompletedTask;
        }

        public Task<EvalRun?> GetAsync(string app, string idOrPrefix, CancellationToken cancellationToken) =>
            Task.FromResult(_runs.Values.SingleOrDefault(r => r.App == app && r.Id.StartsWith(idOrPrefix, StringComparison.Ordinal)));

        public Task<IReadOnlyList<EvalRun>> ListAsync(string app, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<EvalRun>>(_runs.Values.Where(r => r.App == app).Take(limit).ToList());

        public Task SaveResultsAsync(IReadOnlyList<TrialResult> results, CancellationToken cancellationToken)
        {
            lock (_results)
            {
                foreach (var r in results)
                {
                    _results.TryAdd(r.Key, r);
                }
            }

            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<TrialResult>> ResultsAsync(string runId, CancellationToken cancellationToken)
        {
            lock (_results)
            {
                return Task.FromResult<IReadOnlyList<TrialResult>>(_results.Values.Where(r => r.RunId == runId).ToList());
            }
        }

        public async IAsyncEnumerable<TrialResult> ReadResultsAsync(string runId, bool notPassedOnly, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var r in await ResultsAsync(runId, cancellationToken))
            {
                if (!notPassedOnly || r.Status != TrialStatus.Pass)
                {
                    yield return r;
                }
            }
        }

        public Task<IReadOnlySet<TrialKey>> CompletedAsync(string runId, CancellationToken cancellationToken)
        {
            lock (_results)
            {
                return Task.FromResult<IReadOnlySet<TrialKey>>(_results.Values.Where(r => r.RunId == runId).Select(r => r.Key).ToHashSet());
            }
        }

        public Task<EvalRunLease?> TryLeaseAsync(string runId, EvalRunLease lease, DateTimeOffset now, string? takeOverFrom, CancellationToken cancellationToken) =>
            Task.FromResult<EvalRunLease?>(null);

        public Task<EvalRunLease?> LeaseAsync(string runId, CancellationToken cancellationToken) => Task.FromResult<EvalRunLease?>(null);

        public Task ReleaseLeaseAsync(string runId, string holder, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task AddJudgeSpendAsync(string runId, IReadOnlyList<JudgeSpend> spend, CancellationToken cancellationToken)
        {
            _runs[runId] = _runs[runId] with { JudgeSpend = JudgeSpend.Merge(_runs[runId].JudgeSpend, spend) };
            return Task.CompletedTask;
        }

        public Task SetStatusAsync(string runId, EvalRunStatus status, DateTimeOffset? finishedAt, CancellationToken cancellationToken)
        {
            _runs[runId] = _runs[runId] with { Status = status, FinishedAt = finishedAt };
            return Task.CompletedTask;
        }
    }
}
