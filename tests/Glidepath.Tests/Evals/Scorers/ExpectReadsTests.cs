using System.Text.Json.Nodes;
using Glidepath.Evals.Scorers;

namespace Glidepath.Tests.Evals.Scorers;

public sealed class ExpectReadsTests
{
    // Trial newcomer2: expect.contians was reported with the keys the scorers read, and no "did you mean".
    [Fact]
    public void Problems_AMistypedKey_SaysWhichItLikelyMeant()
    {
        var reads = new ExpectReads(["contains", "tool_call"], EveryCase: false);

        var problems = reads.Problems(new JsonObject { ["contians"] = "refund", ["contains"] = "x" }).ToList();

        Assert.EndsWith("; did you mean 'contains'?", Assert.Single(problems), StringComparison.Ordinal);
    }

    // Trial author D6: with no key read, the problems read "(the keys they read: none)" and "its expect has none of: none".
    [Fact]
    public void Problems_ScorersThatReadNoKey_SayItInWords()
    {
        var everyCase = new ExpectReads([], EveryCase: true);
        var none = new ExpectReads([], EveryCase: false);

        Assert.Equal(["expect.contains is read by no scorer in eval.scorers (they read no expect key); expected a scorer that reads it in eval.scorers"],
            everyCase.Problems(new JsonObject { ["contains"] = "x" }));
        Assert.Equal(["no scorer in eval.scorers checks it (there is none); expected a scorer in eval.scorers, e.g. { type: contains }"],
            none.Problems([]));
        Assert.All(everyCase.Problems(new JsonObject { ["contains"] = "x" }).Concat(none.Problems([])), p => Assert.DoesNotContain(": none", p, StringComparison.Ordinal));
    }
}
