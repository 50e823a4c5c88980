using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>Actions: shown to the roles that may take them, confirmed, enforced by the server, recorded as the signed-in principal.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ActionTests(Chromium chromium)
{
    [Fact]
    public async Task Rollback_AsOwnerWithConfirmation_RemovesCanaryAndHistoryShowsThePrincipal()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice", "staging"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/rollout");

        await page.GetByTestId("action-rollback").ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("token:alice");
        Assert.NotNull((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Canary);
        await page.GetByLabel("Reason").FillAsync("refund answers regressed");
        await page.GetByTestId("confirm").ClickAsync();

        // The URL polled, not WaitForURLAsync, which waits for a load event the live page may never fire (DashboardHarness).
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dashboard/env/staging/history\\?done=rollback$"));
        await Assertions.Expect(page.GetByTestId("notice")).ToContainTextAsync("History records it as token:alice");
        await Assertions.Expect(page.GetByTestId("notice")).ToBeFocusedAsync();
        var newest = page.GetByTestId("history").Locator("li").First;
        await Assertions.Expect(newest).ToContainTextAsync("rollback");
        await Assertions.Expect(newest).ToContainTextAsync("by token:alice");
        await Assertions.Expect(newest).ToContainTextAsync("refund answers regressed");
        var state = await h.F.Store.Environments.GetAsync(h.App, "staging", default);
        Assert.Null(state.Canary);
        var last = (await h.F.Store.Environments.HistoryAsync(h.App, "staging", default))[^1];
        Assert.Equal(("rollback", "token:alice"), (last.Kind, last.Actor));
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task ConfirmPage_FromHistory_MarksNoSectionCurrent_SwitchesToRollout_AndCancelsBackToHistory()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");

        await page.GetByTestId("action-freeze").ClickAsync();

        await Assertions.Expect(page.GetByTestId("confirm")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("nav.sections [aria-current=page]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("nav.sections .envs a", new() { HasTextString = "production" })).ToHaveAttributeAsync("href", "/dashboard/env/production/rollout");
        await page.GetByTestId("cancel").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(h.Url + "/dashboard/env/staging/history");
        Assert.False((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Frozen);
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task Rollback_TwoConfirmationPagesOfTheSameView_OnlyTheFirstActs_TheSecondSaysWhatChanged()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice", "staging"));
        var first = browser.Page;
        var second = await first.Context.NewPageAsync();
        foreach (var page in new[] { first, second })
        {
            await page.GotoAsync(h.Url + "/dashboard/env/staging/confirm/rollback");
            await Assertions.Expect(page.GetByTestId("rollback-to")).ToContainTextAsync("(the canary ends)");
        }

        await first.GetByTestId("confirm").ClickAsync();
        await Assertions.Expect(first).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/dashboard/env/staging/history\\?done=rollback$"));
        var afterFirst = await h.F.Store.Environments.GetAsync(h.App, "staging", default);
        var response = await second.RunAndWaitForResponseAsync(() => second.GetByTestId("confirm").ClickAsync(), r => r.Url.Contains("/actions/rollback", StringComparison.Ordinal));

        Assert.Equal(409, response.Status);
        await Assertions.Expect(second.Locator("main")).ToContainTextAsync("Nothing was rolled back by this request");
        await Assertions.Expect(second.Locator("main")).ToContainTextAsync("by token:alice");
        Assert.Equal(afterFirst.Revision, (await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Revision);
        Assert.Empty(browser.Errors);
    }

    // The page said "Stable after: (the canary ends)"; someone aborted the canary before the owner confirmed. The rollback
    // was meant for that canary: it is refused, naming the abort, and the stable does not move back a release.
    [Fact]
    public async Task Rollback_ConfirmedAfterTheCanaryWasAborted_IsRefusedNamingTheAbort_AndTheStableStays()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice", "staging"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/confirm/rollback");
        await Assertions.Expect(page.GetByTestId("rollback-to")).ToContainTextAsync("(the canary ends)");

        await h.Seed.AbortAsync();
        var afterAbort = await h.F.Store.Environments.GetAsync(h.App, "staging", default);
        await page.GetByLabel("Reason").FillAsync("canary is bad, stop it");
        var response = await page.RunAndWaitForResponseAsync(() => page.GetByTestId("confirm").ClickAsync(), r => r.Url.Contains("/actions/rollback", StringComparison.Ordinal));

        Assert.Equal(409, response.Status);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("rollout_aborted");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("Nothing was rolled back by this request");
        var after = await h.F.Store.Environments.GetAsync(h.App, "staging", default);
        Assert.Equal((afterAbort.Revision, afterAbort.StableReleaseId), (after.Revision, after.StableReleaseId));
        Assert.All(browser.Errors, e => Assert.Contains("status of 409", e, StringComparison.Ordinal)); // the refusal page itself
    }

    [Fact]
    public async Task Viewer_SeesNoActionButtons_AndAForcedPostIs403WithNothingChanged()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var page = browser.Page;
        foreach (var path in new[] { "rollout", "history" })
        {
            await page.GotoAsync($"{h.Url}/dashboard/env/staging/{path}");
            await Assertions.Expect(page.Locator("[data-testid^=action-]")).ToHaveCountAsync(0);
        }

        // The confirmation page itself is refused.
        var confirm = await page.GotoAsync(h.Url + "/dashboard/env/staging/confirm/rollback");
        Assert.Equal(403, confirm!.Status);

        // A forced post with the viewer's own session and a valid antiforgery token from their page: the role decides.
        var before = await h.F.Store.Environments.GetAsync(h.App, "staging", default);
        foreach (var action in new[] { "rollback", "freeze", "unfreeze", "pause", "resume", "abort" })
        {
            var response = await Forms.PostAsync(page, h.Url, $"/dashboard/env/staging/actions/{action}", "reason=because");
            Assert.Equal(403, response.Status);
            Assert.Contains("token:vic may not do this in", await response.TextAsync());
        }

        var after = await h.F.Store.Environments.GetAsync(h.App, "staging", default);
        Assert.Equal(before.Revision, after.Revision);
        Assert.DoesNotContain(await h.F.Store.Environments.HistoryAsync(h.App, "staging", default), e => e.Actor == "token:vic");
    }

    [Fact]
    public async Task Deployer_SeesPauseButNotRollback_AndPausesAsThemselves()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Deployer, "dee"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/rollout");
        await Assertions.Expect(page.GetByTestId("action-rollback")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("action-abort")).ToHaveCountAsync(0);

        await page.GetByTestId("action-pause").ClickAsync();
        await page.GetByTestId("confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("rollout-state")).ToHaveTextAsync("paused");
        await Assertions.Expect(page.GetByTestId("decisions")).ToContainTextAsync("by token:dee");
        var rollback = await Forms.PostAsync(page, h.Url, "/dashboard/env/staging/actions/rollback", "reason=x");
        Assert.Equal(403, rollback.Status);
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task Freeze_WithoutReason_IsRefusedWithTheApisMessage_ThenWithOneIsRecorded()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));
        var page = browser.Page;

        var refused = await Forms.PostAsync(page, h.Url, "/dashboard/env/staging/actions/freeze", "reason=");
        Assert.Equal(400, refused.Status);
        Assert.False((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Frozen);

        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        await page.GetByTestId("action-freeze").ClickAsync();
        await page.GetByLabel("Reason").FillAsync("incident 42");
        await page.GetByTestId("confirm").ClickAsync();

        await Assertions.Expect(page.GetByTestId("history").Locator("li").First).ToContainTextAsync("freeze");
        Assert.True((await h.F.Store.Environments.GetAsync(h.App, "staging", default)).Frozen);
        await page.GotoAsync(h.Url + "/dashboard/environments");
        await Assertions.Expect(page.GetByTestId("env-staging")).ToContainTextAsync("frozen");
        Assert.Empty(browser.Errors);
    }

    [Theory]
    [InlineData("freeze", "No change: staging is already frozen; nothing was recorded.")]
    [InlineData("unfreeze", "No change: staging is not frozen; nothing was recorded.")]
    public async Task FreezeOrUnfreeze_FromAStaleConfirmationPage_WhenAlreadySo_SaysNoChange_AndRecordsNothing(string action, string notice)
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var environments = h.Seed.Environments;
        if (action == "unfreeze")
        {
            await environments.FreezeAsync("staging", "ana", "incident 41", CancellationToken.None);
        }

        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"));
        var page = browser.Page;
        // The history page offers the action (it applies), and its confirmation page opens; then someone else does it first.
        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        await page.GetByTestId("action-" + action).ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm")).ToBeVisibleAsync();
        _ = action == "freeze"
            ? await environments.FreezeAsync("staging", "ana", "incident 41", CancellationToken.None)
            : await environments.UnfreezeAsync("staging", "ana", "over", CancellationToken.None);
        var before = await h.F.Store.Environments.GetAsync(h.App, "staging", default);
        if (action == "freeze")
        {
            await page.GetByLabel("Reason").FillAsync("incident 42");
        }

        await page.GetByTestId("confirm").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/dashboard/env/staging/history\\?unchanged={action}$"));
        await Assertions.Expect(page.GetByTestId("notice")).ToHaveTextAsync(notice);
        var after = await h.F.Store.Environments.GetAsync(h.App, "staging", default);
        Assert.Equal((before.Revision, before.Frozen), (after.Revision, after.Frozen));
        Assert.DoesNotContain(await h.F.Store.Environments.HistoryAsync(h.App, "staging", default), e => e.Actor == "token:alice");
        Assert.Empty(browser.Errors);
    }

    [Theory]
    [InlineData("pause", "No change: the rollout in staging is already paused; nothing was recorded.")]
    [InlineData("resume", "No change: the rollout in staging is not paused; nothing was recorded.")]
    public async Task PauseOrResume_FromAStalePage_WhenAlreadySo_SaysNoChange_AndRecordsNothing(string action, string notice)
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        if (action == "resume")
        {
            await h.Seed.PauseOrResumeAsync(pause: true);
        }

        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Deployer, "dee"));
        var page = browser.Page;
        await page.GotoAsync(h.Url + "/dashboard/env/staging/rollout");
        await page.GetByTestId("action-" + action).ClickAsync();
        await page.GetByTestId("confirm").WaitForAsync();

        // Someone else acts first: the confirmation page is now stale, and confirming it changes nothing.
        await h.Seed.PauseOrResumeAsync(pause: action == "pause");
        var before = (await h.F.Store.Rollouts.ActiveAsync(h.App, "staging", default))!;
        var decisions = (await h.F.Store.Rollouts.DecisionsAsync(before.Id, default)).Count;
        await page.GetByTestId("confirm").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/dashboard/env/staging/rollout\\?unchanged={action}$"));
        await Assertions.Expect(page.GetByTestId("notice")).ToHaveTextAsync(notice);
        var after = (await h.F.Store.Rollouts.ActiveAsync(h.App, "staging", default))!;
        Assert.Equal((before.Version, before.State), (after.Version, after.State));
        Assert.Equal(decisions, (await h.F.Store.Rollouts.DecisionsAsync(after.Id, default)).Count);
        Assert.DoesNotContain(await h.F.Store.Rollouts.DecisionsAsync(after.Id, default), d => d.Actor == "token:dee");
        Assert.Empty(browser.Errors);
    }
}
