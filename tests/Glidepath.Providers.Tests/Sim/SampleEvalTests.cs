using System.Text.Json.Nodes;
using Glidepath.Models;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Glidepath.Providers.Tests.Sim;

/// <summary>
/// The sim makes the sample's eval meaningful: the unchanged prompt passes, and deleting one policy line
/// fails exactly the cases that need it. The check here is a tiny contains/tool_call scorer; the eval gate
/// has the real scorers.
/// </summary>
public sealed class SampleEvalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SampleDataset_UnchangedPrompt_AtLeast90PercentPass()
    {
        using var app = new SampleApp();
        var results = await RunAsync(app);
        var passRate = results.Count(r => r.Pass) / (double)results.Count;
        Assert.True(results.Count >= 40, $"the sample dataset has {results.Count} cases; expected at least 40");
        Assert.True(passRate >= 0.9, $"pass rate {passRate:P0}; failing: {Failures(results)}");
    }

    [Fact]
    public async Task SampleDataset_RefundWindowLineDeleted_RefundCasesFailOthersStillPass()
    {
        using var app = new SampleApp(prompt => string.Join("\n", prompt.Split('\n').Where(l => !l.Contains("Refund window:", StringComparison.Ordinal))));
        Assert.DoesNotContain("Refund window:", app.Snapshot.SystemPrompt, StringComparison.Ordinal);
        var results = await RunAsync(app);
        var refunds = results.Where(r => r.Tags.Contains("refunds")).ToList();
        var others = results.Where(r => !r.Tags.Contains("refunds")).ToList();
        Assert.True(refunds.Count >= 5, "the sample should have several refunds-tagged cases");
        Assert.All(refunds, r => Assert.False(r.Pass, $"{r.Id} still passes without the refund-window line: {r.Answer}"));
        var othersRate = others.Count(r => r.Pass) / (double)others.Count;
        Assert.True(othersRate >= 0.9, $"unrelated cases pass rate {othersRate:P0}; failing: {Failures(others)}");
    }

    private async Task<List<CaseResult>> RunAsync(SampleApp app)
    {
        using var factory = new ModelClientFactory(TimeProvider.System, PriceTable.For(app.Manifest));
        var client = factory.Create(app.Model(), new(), new ModelClientOptions());
        var results = new List<CaseResult>();
        foreach (var c in app.Cases())
        {
            var input = c["input"]!.AsObject();
            var vars = (input["vars"]?.AsObject() ?? []).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>(), StringComparer.Ordinal);
            var messages = input["messages"]!.AsArray().Select(m => new ChatMessage(new ChatRole(m!["role"]!.GetValue<string>()), m["content"]!.GetValue<string>()));
            var (prepared, options) = ReleaseConversation.Prepare(app.Snapshot, vars, messages);
            var response = await client.GetResponseAsync(prepared, options);
            var expect = c["expect"]?.AsObject() ?? [];
            var contains = (expect["contains"]?.AsArray() ?? []).Select(x => x!.GetValue<string>()).ToList();
            var tool = expect["tool_call"]?["name"]?.GetValue<string>();
            var text = response.Text;
            var called = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(f => f.Name).ToList();
            var pass = contains.All(s => text.Contains(s, StringComparison.OrdinalIgnoreCase)) && (tool is null || called.Contains(tool));
            var tags = (c["tags"]?.AsArray() ?? []).Select(t => t!.GetValue<string>()).ToList();
            results.Add(new CaseResult(c["id"]!.GetValue<string>(), tags, pass, text + (called.Count > 0 ? " [tools: " + string.Join(",", called) + "]" : "")));
            output.WriteLine($"{(pass ? "PASS" : "FAIL")} {c["id"]}: {results[^1].Answer}");
        }

        return results;
    }

    private static string Failures(IEnumerable<CaseResult> results) =>
        string.Join(" | ", results.Where(r => !r.Pass).Select(r => r.Id + ": " + r.Answer));

    private sealed record CaseResult(string Id, IReadOnlyList<string> Tags, bool Pass, string Answer);
}
