using System.Text.Json.Nodes;
using Glidepath.Evals.Gate;
using Glidepath.Evals.Scorers;
using Glidepath.Files;
using Glidepath.Manifests;
using Glidepath.Releases;
using Glidepath.Testing;

namespace Glidepath.Tests.Evals.Gate;

/// <summary>
/// Outside trial ciflow #2: eval.scorers compared with the baseline commit's, per scorer (an option, a rubric's content, a
/// scorer added or removed), each difference attributed through the fork point (<see cref="BaselineFork"/>).
/// </summary>
public sealed class ScorerChangeTests : IDisposable
{
    private readonly TempDir _baseline = new();
    private readonly TempDir _current = new();

    private static readonly ScorerSpec[] Committed =
    [
        Spec("contains"),
        Spec("llm_judge", ("rubric", "\"evals/rubric.md\""), ("pass", "0.7")),
        Spec("tool_call"),
    ];

    [Fact]
    public void Of_SameScorersAndRubric_Null()
    {
        Rubric(_baseline, "Be fair.");
        Rubric(_current, "Be fair.");

        Assert.Null(ScorerChange.Of(Committed, Read, Fork(Committed, atForkSameAsBaseline: true)));
    }

    [Fact]
    public void Of_PassLoweredRubricRewrittenAndAScorerRemovedHere_EachNamedAsThisChanges()
    {
        Rubric(_baseline, "Be strict.");
        Rubric(_current, "Be lenient.");
        ScorerSpec[] current = [Spec("contains"), Spec("llm_judge", ("rubric", "\"evals/rubric.md\""), ("pass", "0.1"))];

        var change = ScorerChange.Of(current, Read, Fork(Committed, atForkSameAsBaseline: true))!;

        var (before, after) = (Sha("Be strict."), Sha("Be lenient."));
        Assert.Equal(ChangedBy.ThisChange, change.ChangedBy);
        Assert.Equal(
            $"eval.scorers were changed by this change: llm_judge pass 0.7 → 0.1; llm_judge rubric file sha256 {before[..12]} → {after[..12]}; tool_call removed",
            change.Message);
        Assert.Equal(
            [("llm_judge", "option", "pass", "0.7", "0.1"), ("llm_judge", "file", "rubric", before, after), ("tool_call", "removed", null, "tool_call", null)],
            change.Changes.Select(c => (c.Scorer, c.Change, c.Name, c.Baseline, c.Candidate)));
        Assert.Equal("eval.scorers were changed by this change: llm_judge, tool_call", change.Title);
    }

    // Trial gatejudge2 M3: adding a spend cap read "eval.scorers were changed by this change: llm_judge max_spend_usd (none)
    // → 2", as if the bar had changed. The cap decides whether the judge is asked, never how an answer is scored.
    [Fact]
    public void Of_OnlyTheJudgesSpendCapAddedOrChanged_NoChange_AndTheVersionIsTheSame()
    {
        Rubric(_baseline, "Be fair.");
        Rubric(_current, "Be fair.");
        ScorerSpec[] capped = [Committed[0], Spec("llm_judge", ("rubric", "\"evals/rubric.md\""), ("pass", "0.7"), ("max_spend_usd", "2")), Committed[2]];
        ScorerSpec[] raised = [Committed[0], Spec("llm_judge", ("rubric", "\"evals/rubric.md\""), ("pass", "0.7"), ("max_spend_usd", "20")), Committed[2]];
        ScorerSpec[] stricter = [Committed[0], Spec("llm_judge", ("rubric", "\"evals/rubric.md\""), ("pass", "0.8"), ("max_spend_usd", "2")), Committed[2]];

        Assert.Null(ScorerChange.Of(capped, Read, Fork(Committed, atForkSameAsBaseline: true)));
        Assert.Null(ScorerChange.Of(raised, Read, Fork(capped, atForkSameAsBaseline: true)));
        Assert.Equal(ScorerSet.VersionOf(Committed, Read), ScorerSet.VersionOf(capped, Read));
        Assert.Equal(ScorerSet.VersionOf(capped, Read), ScorerSet.VersionOf(raised, Read));
        Assert.NotEqual(ScorerSet.VersionOf(capped, Read), ScorerSet.VersionOf(stricter, Read)); // the pass mark scores: it stays in
        Assert.Equal("pass", Assert.Single(ScorerChange.Of(stricter, Read, Fork(capped, atForkSameAsBaseline: true))!.Changes).Name);
    }

    // The branch forked where contains had no ignore_case; the base branch removed it since: this change did not loosen it.
    [Fact]
    public void Of_OptionTheBaseBranchChangedSinceTheFork_SaidAsTheBaseBranchs()
    {
        Rubric(_baseline, "Be fair.");
        Rubric(_current, "Be fair.");
        ScorerSpec[] branch = [Spec("contains", ("ignore_case", "true")), .. Committed[1..]];

        var change = ScorerChange.Of(branch, Read, Fork(Committed, atFork: branch))!;

        Assert.Equal(ChangedBy.BaseBranch, change.ChangedBy);
        Assert.Equal(
            "eval.scorers differ from git:origin/main's: origin/main changed them since this branch forked (contains ignore_case true → (none)); " +
            "this change is scored with its own; merge or rebase origin/main to be scored with origin/main's",
            change.Message);
    }

    [Fact]
    public void Of_NoMergeBase_UnknownAndSaysHowToFetch()
    {
        Rubric(_baseline, "Be fair.");
        Rubric(_current, "Be fair.");
        ScorerSpec[] current = [.. Committed, Spec("contains", ("ignore_case", "true"))];

        var change = ScorerChange.Of(current, Read, Fork(Committed))!;

        Assert.Null(change.ChangedBy);
        Assert.StartsWith("eval.scorers differ from git:origin/main's: contains#2 added, changed by this change or on origin/main since this branch forked; git finds no merge base", change.Message, StringComparison.Ordinal);
        Assert.Contains("git fetch --unshallow", change.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _baseline.Dispose();
        _current.Dispose();
    }

    private byte[] Read(string path) => File.ReadAllBytes(_current.File(path));

    private BaselineFork Fork(ScorerSpec[] baseline, bool atForkSameAsBaseline = false, ScorerSpec[]? atFork = null)
    {
        var files = new WorkingTreeFileSource(_baseline.Path);
        var eval = new BaselineEval(new EvalConfig { Dataset = "evals/support.jsonl", Scorers = baseline }, files);
        return new BaselineFork(eval, new string('a', 40))
        {
            Revision = "origin/main",
            MergeBaseCommit = atForkSameAsBaseline || atFork is not null ? new string('b', 40) : null,
            AtMergeBase = atForkSameAsBaseline ? eval : atFork is null ? null : new BaselineEval(new EvalConfig { Dataset = "evals/support.jsonl", Scorers = atFork }, files),
        };
    }

    private static void Rubric(TempDir dir, string text)
    {
        Directory.CreateDirectory(dir.File("evals"));
        File.WriteAllText(dir.File("evals/rubric.md"), text);
    }

    private static string Sha(string text) => ReleaseBuilder.HashHex(System.Text.Encoding.UTF8.GetBytes(text));

    /// <param name="options">Each option's value as JSON text, as the manifest parser holds it.</param>
    private static ScorerSpec Spec(string type, params (string Key, string Json)[] options) => new()
    {
        Type = type,
        Options = options.ToDictionary(o => o.Key, o => JsonNode.Parse(o.Json)),
    };
}
