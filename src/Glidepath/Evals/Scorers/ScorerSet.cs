using System.Text;
using System.Text.Json.Nodes;
using Glidepath.Evals.Datasets;
using Glidepath.Manifests;
using Glidepath.Releases;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.AI.Evaluation;

namespace Glidepath.Evals.Scorers;

/// <summary>
/// The scorers of an eval config, ready to run, and their <see cref="Version"/>: a sha256 over the scorer
/// specs, the files they read (rubrics, schemas) and the judge models — the "judge version" of a verdict.
/// </summary>
public sealed class ScorerSet : IDisposable
{
    private ScorerSet(IReadOnlyList<ScorerEntry> entries, string version, ExpectReads? reads)
    {
        Entries = entries;
        Version = version;
        Reads = reads;
    }

    /// <summary>The <c>expect</c> keys these scorers read and whether one checks every case; null when a scorer does not say (a custom one).</summary>
    public ExpectReads? Reads { get; }

    public IReadOnlyList<ScorerEntry> Entries { get; }

    public string Version { get; }

    /// <summary>Judges used, for the verdict's evidence (model and rubric hash).</summary>
    public IReadOnlyList<JudgeIdentity> Judges => Entries.Select(e => e.Evaluator).OfType<LlmJudgeScorer>().Select(j => j.Identity).ToList();

    public static ScorerSet Build(IReadOnlyList<ScorerSpec> specs, ScorerRegistry registry, ScorerBuildContext context)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(context);
        var entries = new List<ScorerEntry>();
        var names = NamesOf(specs);
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            entries.Add(new ScorerEntry(names[i], spec.Type, registry.Create(spec, names[i], context), spec.GetDouble("weight") ?? 1));
        }

        return new ScorerSet(entries, VersionOf(specs, context.ReadFile), ExpectReads.Of(specs, registry));
    }

    /// <summary>The options that name a file whose content is part of the scorer (and of <see cref="VersionOf"/>).</summary>
    public static IReadOnlyList<string> FileOptions { get; } = ["rubric", "schema"];

    /// <summary>
    /// The options that decide only whether a judge is asked, never how an answer is scored: <c>max_spend_usd</c>. They are
    /// in neither <see cref="VersionOf"/> nor the gate's scorer comparison (<see cref="Gate.ScorerChange"/>), so raising the
    /// cap resumes the run it stopped, a stored verdict still counts, and the gate does not warn that the bar changed
    /// (trial gatejudge2 M3: the cap in the version made a run it stopped unfinishable). Whatever changes a score stays in.
    /// </summary>
    public static bool Unversioned(string option) => option == "max_spend_usd";

    /// <summary>Each scorer's name, as its outcomes are reported: its type, and <c>type#2</c>, <c>type#3</c>… for the second and later of one type.</summary>
    public static IReadOnlyList<string> NamesOf(IReadOnlyList<ScorerSpec> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        var names = new List<string>(specs.Count);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            counts[spec.Type] = counts.GetValueOrDefault(spec.Type) + 1;
            names.Add(counts[spec.Type] == 1 ? spec.Type : $"{spec.Type}#{counts[spec.Type]}");
        }

        return names;
    }

    /// <summary>
    /// The scorer version of <paramref name="specs"/> without building them: a sha256 over every scorer's type and options
    /// (but those <see cref="Unversioned"/>) and the content of the files they read. <see cref="Build"/> computes its <see cref="Version"/> with it, and whoever asks
    /// whether a stored verdict was computed with today's scorers (<see cref="Gate.GateBasis"/>) does too.
    /// </summary>
    public static string VersionOf(IReadOnlyList<ScorerSpec> specs, Func<string, byte[]> readFile) => VersionOf(specs, readFile, withUnversioned: false);

    /// <summary>
    /// <see cref="VersionOf(IReadOnlyList{ScorerSpec}, Func{string, byte[]})"/>, or with <paramref name="withUnversioned"/> the
    /// version as Glidepath computed it until 2026-12-07, <c>max_spend_usd</c> included: a run started then with the same
    /// scorers has that one (trial gatejudge3 L4).
    /// </summary>
    public static string VersionOf(IReadOnlyList<ScorerSpec> specs, Func<string, byte[]> readFile, bool withUnversioned)
    {
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(readFile);
        var fingerprint = new JsonArray();
        foreach (var spec in specs)
        {
            var options = spec.Options.Where(o => withUnversioned || !Unversioned(o.Key)).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => KeyValuePair.Create(o.Key, o.Value?.DeepClone()));
            var item = new JsonObject { ["type"] = spec.Type, ["options"] = new JsonObject(options) };
            foreach (var fileKey in FileOptions)
            {
                if (spec.GetString(fileKey) is { } path)
                {
                    item[fileKey + "_sha256"] = ReleaseBuilder.HashHex(readFile(path));
                }
            }

            fingerprint.Add(item);
        }

        return ReleaseBuilder.HashHex(Encoding.UTF8.GetBytes(fingerprint.ToJsonString()));
    }

    /// <summary>Adds a team's own evaluator (library API); it changes the version.</summary>
    public ScorerSet With(string name, IEvaluator evaluator, double weight = 1) =>
        new([.. Entries, new ScorerEntry(name, "custom", evaluator, weight)],
            ReleaseBuilder.HashHex(Encoding.UTF8.GetBytes($"{Version}+{name}:{evaluator.GetType().FullName}:{weight}")), reads: null);

    /// <summary>
    /// Runs every scorer on one response. Offline, <paramref name="evalCase"/> carries the expectations;
    /// online it is null and only reference-free scorers apply. Exceptions become error outcomes.
    /// </summary>
    public Task<IReadOnlyList<ScoreOutcome>> ScoreAsync(IReadOnlyList<ChatMessage> messages, ChatResponse response, EvalCase? evalCase,
        double? latencyMs, double? costUsd, CancellationToken cancellationToken) =>
        ScoreAsync(messages, response, evalCase, trial: 0, latencyMs, costUsd, cancellationToken);

    /// <summary>
    /// Runs every scorer on trial <paramref name="trial"/> of <paramref name="evalCase"/>: a judge's calls for one trial are
    /// cached apart from another's, so each trial is its own judge draw.
    /// </summary>
    public async Task<IReadOnlyList<ScoreOutcome>> ScoreAsync(IReadOnlyList<ChatMessage> messages, ChatResponse response, EvalCase? evalCase, int trial,
        double? latencyMs, double? costUsd, CancellationToken cancellationToken)
    {
        var contexts = new List<EvaluationContext>();
        if (evalCase is not null)
        {
            contexts.Add(new EvalCaseContext(evalCase, trial));
        }

        if (latencyMs is { } ms)
        {
            contexts.Add(new CallMetricsContext(ms, costUsd));
        }

        var outcomes = new List<ScoreOutcome>();
        foreach (var entry in Entries)
        {
            try
            {
                var result = await entry.Evaluator.EvaluateAsync(messages, response, null, contexts, cancellationToken).ConfigureAwait(false);
                outcomes.AddRange(ScoreReader.Read(entry.Name, entry.Weight, result));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                outcomes.Add(ScoreOutcome.Failed(entry.Name, $"the scorer threw {ex.GetType().Name}: {ex.Message}", entry.Weight));
            }
        }

        return outcomes;
    }

    /// <summary>
    /// Admits a trial before its release is asked (<see cref="TrialAdmission"/>): each judge with a <c>max_spend_usd</c> waits
    /// until it has room for the trial's call. Returns the admission, to be disposed when the trial ends, or the outcomes of a
    /// trial a judge refuses (its cap is reached), recorded as that judge's refusal of its score, with nothing held.
    /// </summary>
    internal async Task<(TrialAdmission? Admission, IReadOnlyList<ScoreOutcome>? Refused)> AdmitAsync(CancellationToken cancellationToken)
    {
        var admission = new TrialAdmission();
        try
        {
            foreach (var entry in Entries)
            {
                if (entry.Evaluator is LlmJudgeScorer judge)
                {
                    try
                    {
                        await judge.AdmitAsync(admission, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ScorerException refused)
                    {
                        admission.Dispose();
                        return (null, [ScoreOutcome.Failed(entry.Name, refused.Message, entry.Weight)]);
                    }
                }
            }
        }
        catch
        {
            admission.Dispose();
            throw;
        }

        return (admission, null);
    }

    /// <summary>
    /// Which judge's <c>max_spend_usd</c> is reached, as <c>llm_judge: the judge's spend limit of $2 is reached…</c>, or null
    /// when none is (<see cref="LlmJudgeScorer.SpendLimitReached"/>): a run stopped by it resumes only once the cap is raised.
    /// </summary>
    public string? SpendLimitReached()
    {
        foreach (var entry in Entries)
        {
            if (entry.Evaluator is LlmJudgeScorer judge && judge.SpendLimitReached() is { } reached)
            {
                return $"{entry.Name}: {reached}";
            }
        }

        return null;
    }

    public void Dispose()
    {
        foreach (var e in Entries)
        {
            (e.Evaluator as IDisposable)?.Dispose();
        }
    }
}
