using System.Globalization;

namespace Glidepath.Evals.Gate;

/// <summary>
/// Cases that failed on every trial on both sides: already failing on the baseline, they cannot show a regression, so a
/// broken expectation (a template kept as text, a tool the release does not have) hides one there for good. Said on a pass
/// and on a block alike; it never changes the verdict.
/// </summary>
/// <param name="Message">One sentence for every report: how many, which, why it matters and what to check.</param>
/// <param name="Cases">How many cases failed every trial on both sides.</param>
/// <param name="Examples">The first of them (at most <see cref="MaxExamples"/>), in dataset order.</param>
public sealed record AlwaysFailing(string Message, int Cases, IReadOnlyList<string> Examples)
{
    public const int MaxExamples = 10;

    /// <summary>Null unless the verdict is a pass or a block and some case scored on both sides passed no trial on either.</summary>
    internal static AlwaysFailing? Find(GateResult result, IReadOnlyList<CaseTally> cases, IReadOnlyList<CaseCounts> counts)
    {
        if (result is not (GateResult.Pass or GateResult.Blocked))
        {
            return null;
        }

        var failing = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var c = counts[i];
            if (!c.Errored && c.BaselineTrials > 0 && c.CandidateTrials > 0 && c.BaselinePasses == 0 && c.CandidatePasses == 0)
            {
                failing.Add(cases[i].CaseId);
            }
        }

        if (failing.Count == 0)
        {
            return null;
        }

        var examples = failing.Take(MaxExamples).ToList();
        return new AlwaysFailing(Describe(failing.Count, examples, runId: null), failing.Count, examples);
    }

    /// <summary>The same warning naming the run whose failed trials <c>glidepath eval show</c> lists.</summary>
    public AlwaysFailing ForRun(string runId) => this with { Message = Describe(Cases, Examples, runId) };

    private static string Describe(int count, IReadOnlyList<string> examples, string? runId)
    {
        var named = string.Join(", ", examples.Take(5).Select(Short)) + (count > 5 ? ", …" : "");
        return string.Create(CultureInfo.InvariantCulture,
            $"{count} case(s) failed on every trial on both sides ({named}): they cannot show a regression; check their expectations " +
            $"(glidepath eval show {runId ?? "RUN"} lists each failed trial with its answer and why it failed)");
    }

    // A case id is the dataset's text: a long one is cut, so the sentence stays a sentence.
    private static string Short(string id) => id.Length <= 60 ? id : id[..59] + "…";
}
