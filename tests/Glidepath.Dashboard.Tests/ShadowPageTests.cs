using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Shadow;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>The shadow page and the Environments page's shadow line show what <c>shadow status</c> and <c>status</c> print.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ShadowPageTests(Chromium chromium)
{
    // An outside trial: the dashboard had no view of shadow traffic at all.
    [Fact]
    public async Task ShadowPage_ActiveShadowWithPairs_ShowsTheFiguresShadowStatusPrints()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var shadow = await h.Seed.ShadowAsync(pairs: 40);
        var status = (await ShadowStatus.ReadAsync(h.Seed.Shadows, h.F.Store.Releases, h.App, Seed.Environment, CancellationToken.None))!;
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        await Assertions.Expect(page.GetByTestId("shadow-staging")).ToContainTextAsync($"{shadow.ShadowId} mirrors 10% of stable's requests to v2");
        Assert.NotEqual("harm", status.Shadow.Outcome);
        Assert.Equal(0, await page.GetByTestId("shadow-harm-staging").CountAsync());
        await page.GotoAsync(h.Url + "/dashboard/env/staging/shadow");

        await Assertions.Expect(page.GetByTestId("shadow-rate")).ToContainTextAsync($"Shadow {shadow.ShadowId} mirrors 10% of stable's requests until $5 spent");
        await Assertions.Expect(page.GetByTestId("shadow-pairs")).ToHaveTextAsync("40");
        await Assertions.Expect(page.GetByTestId("shadow-spend")).ToHaveTextAsync("$0.08 of $5");
        await Assertions.Expect(page.GetByTestId("shadow-outcome")).ToHaveTextAsync(status.Shadow.Outcome);
        await Assertions.Expect(page.GetByTestId("shadow-decision")).ToHaveTextAsync(status.Shadow.Decision);
        Assert.NotEmpty(status.Shadow.Metrics);
        foreach (var metric in status.Shadow.Metrics)
        {
            var row = page.GetByTestId("forest-" + metric.Metric).Locator("tbody tr").First;
            await Assertions.Expect(row.GetByTestId("n-canary")).ToHaveTextAsync(metric.CanaryN.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(row.GetByTestId("estimate")).ToHaveTextAsync(metric.EstimateText());
            await Assertions.Expect(row.GetByTestId("half-width")).ToHaveTextAsync(metric.HalfWidthText());
        }

        Assert.Empty(browser.Errors);
    }

    // Trial dash2 #1: the row said only "mirrors 100% of stable's requests to v6" while the shadow's judge said harm,
    // beside a canary of the same release.
    [Fact]
    public async Task EnvironmentsPage_ActiveShadowJudgedHarm_TheShadowRowSaysTheJudgesHarm()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var shadow = await h.Seed.Shadows.StartAsync(Seed.Environment, h.F.V2, 0.1, 5, null, "ana", "try v2", CancellationToken.None);
        await h.Seed.PairsAsync(shadow, 0, 300, candidateFails: true);
        var status = (await ShadowStatus.ReadAsync(h.Seed.Shadows, h.F.Store.Releases, h.App, Seed.Environment, CancellationToken.None))!;
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        Assert.Equal("harm", status.Shadow.Outcome);
        await Assertions.Expect(browser.Page.GetByTestId("shadow-harm-staging")).ToContainTextAsync($"judge: harm — {status.Shadow.Decision}");
        await Assertions.Expect(browser.Page.GetByTestId("shadow-harm-staging")).ToContainTextAsync("promote and rollout start of it are refused");
        Assert.Empty(browser.Errors);
    }

    // An outside trial: after a promote during a shadow, the figures beside the pairs counted only the pairs against the
    // new stable, so a candidate that failed every call against the old one showed "Candidate errors 0".
    [Fact]
    public async Task ShadowPage_CandidateFailedAgainstAnEarlierStable_ShowsItsErrorsOverEveryPairAndTheJudgedOnes()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var shadow = await h.Seed.Shadows.StartAsync(Seed.Environment, h.F.V2, 0.1, 5, null, "ana", "try v2", CancellationToken.None);
        await h.Seed.PairsAsync(shadow, 0, 40, candidateFails: true);
        var v3 = await h.Seed.StableV3Async();
        await h.Seed.PairsAsync(shadow, 40, 10, stable: v3);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        await browser.Page.GotoAsync(h.Url + "/dashboard/env/staging/shadow");

        await Assertions.Expect(browser.Page.GetByTestId("shadow-pairs")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^50 \(every stable release; 10 against v3\+\w+, judged\)$"));
        await Assertions.Expect(browser.Page.GetByTestId("shadow-errors")).ToHaveTextAsync("40 (0 in the judged pairs)");
        await Assertions.Expect(browser.Page.GetByTestId("shadow-spend")).ToHaveTextAsync("$0.1 of $5");
        await Assertions.Expect(browser.Page.GetByTestId("shadow-not-judged")).ToContainTextAsync("40 against v1");
        await Assertions.Expect(browser.Page.GetByTestId("shadow-not-judged")).ToContainTextAsync("with 40 candidate errors");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task ShadowPage_ViewerOfAnotherEnvironment_Is403AndShowsNoFigures()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.ShadowAsync(pairs: 40);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "pia", "production"));

        var response = await browser.Page.GotoAsync(h.Url + "/dashboard/env/staging/shadow");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(browser.Page.Locator("main")).ToContainTextAsync("needs the viewer role there");
        Assert.Equal(0, await browser.Page.GetByTestId("shadow-pairs").CountAsync());
    }

    [Fact]
    public async Task ShadowPage_NoShadowYet_SaysHowToStartOne()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));

        var response = await browser.Page.GotoAsync(h.Url + "/dashboard/env/staging/shadow");

        Assert.Equal(200, response!.Status);
        await Assertions.Expect(browser.Page.GetByTestId("no-shadow")).ToContainTextAsync("glidepath shadow start REF --env staging --rate 0.1");
    }

    // The dashboard showed neither what the gateways claimed of a shadow's caps (shadow status has shown it since
    // 2026-12-07) nor, on a trace, the other side of its shadow pair (traces show names it): both are on the pages now,
    // and the pair's shadow link opens that shadow, not just the environment's last.
    [Fact]
    public async Task ShadowPairTrace_LinksTheOtherSideAndItsShadow_AndTheShadowPageShowsTheClaims()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var shadow = await h.Seed.ShadowAsync(pairs: 3);
        await h.F.Store.Shadows.ClaimAsync(shadow.ShadowId, "gw-1", new ShadowSpend(0, 0.01), new ShadowSpend(0, 5), DateTimeOffset.UtcNow, CancellationToken.None);
        var candidateTrace = $"c{1:x31}";
        await h.F.Store.Traces.WriteBatchAsync([new Glidepath.Traces.TraceRecord
        {
            TraceId = candidateTrace, App = h.App, Environment = Seed.Environment, ReleaseId = h.F.V2.Id, Arm = "shadow", StartedAt = DateTimeOffset.UtcNow,
            Api = "openai", Status = 200, LatencyMs = 310, OverheadMs = 0.1,
        }], CancellationToken.None);
        await h.Seed.Shadows.StopAsync(Seed.Environment, "ana", "next", CancellationToken.None);
        await h.Seed.ShadowAsync(pairs: 0); // a later shadow: the environment's last is no longer the pair's
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;

        await page.GotoAsync($"{h.Url}/dashboard/env/staging/traces/{candidateTrace}");

        var pair = page.GetByTestId("trace-shadow-pair");
        await Assertions.Expect(pair).ToContainTextAsync($"the answer the caller got: s{1:x31}");
        await Assertions.Expect(pair).ToContainTextAsync(shadow.ShadowId);
        await pair.GetByText(shadow.ShadowId).ClickAsync();
        await Assertions.Expect(page.GetByTestId("shadow-rate")).ToContainTextAsync($"Shadow {shadow.ShadowId} mirrored");
        await Assertions.Expect(page.GetByTestId("shadow-claims")).ToHaveTextAsync("$0.016 of $5"); // the claim starts from the $0.006 its three pairs stored
        Assert.Empty(browser.Errors);
        var unknown = await page.GotoAsync($"{h.Url}/dashboard/env/staging/shadow?shadow=sh-nope");
        Assert.Equal(400, unknown!.Status); // not one of staging's shadows: refused, not the last one shown in its place
    }
}
