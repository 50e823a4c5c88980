using System.Text.Json.Nodes;
using Glidepath.Evals.Datasets;
using Glidepath.Evals.Scorers;
using Glidepath.Releases;
using Glidepath.Tests.Releases;
using Microsoft.Extensions.AI;

namespace Glidepath.Tests.Evals.Datasets;

/// <summary>
/// A dataset's cases checked after they were parsed (they waited for the release names while the releases were resolved,
/// issue 19's start-up) list their problems exactly where a check at once would have: the same list, the same order.
/// </summary>
public sealed class CaseChecksTests
{
    private static EvalCase Typo(int line) => new()
    {
        Id = "c" + line,
        Line = line,
        Messages = [new ChatMessage(ChatRole.User, "q")],
        Expect = new JsonObject { ["tool_call"] = new JsonObject { ["name"] = "lookup_ordr" }, ["exact"] = "x" },
    };

    // The file as the reader meets it: a parse problem (a string) or a case, in line order.
    private static readonly object[] File = ["f:1: not valid JSON", Typo(2), "f:3: not valid JSON", Typo(4), Typo(5), "f:6: duplicate id", Typo(7)];

    private static readonly ExpectReads Reads = new(["contains", "tool_call"], EveryCase: false);

    [Fact]
    public void Named_CasesThatWaited_ProblemsInTheOrderOfACheckAtOnce()
    {
        var names = ReleaseNames.Of(TestReleases.Sample());

        var atOnce = new List<string>();
        var direct = new CaseChecks(Reads, null, "f", atOnce);
        direct.Named(names, []);
        foreach (var item in File)
        {
            if (item is EvalCase c)
            {
                direct.Check(c, asked: true, atOnce.Count);
            }
            else
            {
                atOnce.Add((string)item);
            }
        }

        var later = new List<string>();
        var waited = new CaseChecks(Reads, null, "f", later);
        var pending = new List<(EvalCase, bool, int)>();
        foreach (var item in File)
        {
            if (item is EvalCase c)
            {
                pending.Add((c, true, later.Count));
            }
            else
            {
                later.Add((string)item);
            }
        }

        waited.Named(names, pending);

        Assert.Equal(11, atOnce.Count); // 4 parse problems wait, each of the 4 cases: an unread expect key and a tool typo
        Assert.Equal(atOnce, later);
        Assert.Empty(pending);
    }

    [Fact]
    public void Named_SomeWaitedSomeNot_SameAsAllAtOnce()
    {
        var names = ReleaseNames.Of(TestReleases.Sample());
        var atOnce = new List<string>();
        var direct = new CaseChecks(Reads, null, "f", atOnce);
        direct.Named(names, []);
        var later = new List<string>();
        var waited = new CaseChecks(Reads, null, "f", later);
        var pending = new List<(EvalCase, bool, int)>();
        for (var i = 0; i < File.Length; i++)
        {
            if (i == 4)
            {
                waited.Named(names, pending); // the names arrive after the fourth line
            }

            foreach (var (checks, list) in new[] { (direct, atOnce), (waited, later) })
            {
                if (File[i] is not EvalCase c)
                {
                    list.Add((string)File[i]);
                }
                else if (checks.HasNames)
                {
                    checks.Check(c, asked: true, list.Count);
                }
                else
                {
                    pending.Add((c, true, list.Count));
                }
            }
        }

        Assert.Equal(atOnce, later);
    }
}
