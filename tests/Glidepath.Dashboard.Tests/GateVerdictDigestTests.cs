using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Evals;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>The gate verdicts table shows the dataset's hash and the scorer version alike: short, the whole value on hover.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GateVerdictDigestTests(Chromium chromium)
{
    // Newcomer trial L14: the "judge" column showed the full 64-hex scorer version beside a 12-hex dataset hash.
    [Fact]
    public async Task GatePage_DatasetAndScorerVersion_BothTwelveCharactersWithTheFullValueAsTitle()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var dataset = string.Concat(Enumerable.Repeat("0123456789abcdef", 4));
        var scorers = string.Concat(Enumerable.Repeat("fedcba9876543210", 4));
        await h.F.Store.GateVerdicts.SaveAsync(
            new GateVerdictRecord("gv-digest0001", h.App, h.F.V2.Id, h.F.V1.Id, dataset, "pass", scorers, DateTimeOffset.UtcNow, "{}"),
            CancellationToken.None);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        await browser.Page.GotoAsync(h.Url + "/dashboard/releases/v2/verdicts");

        var datasetCell = browser.Page.GetByTestId("dataset").Locator("code");
        var judgeCell = browser.Page.GetByTestId("judge").Locator("code");
        await Assertions.Expect(datasetCell).ToHaveTextAsync(dataset[..12]);
        await Assertions.Expect(datasetCell).ToHaveAttributeAsync("title", dataset);
        await Assertions.Expect(judgeCell).ToHaveTextAsync(scorers[..12]);
        await Assertions.Expect(judgeCell).ToHaveAttributeAsync("title", scorers);
        Assert.Empty(browser.Errors);
    }
}
