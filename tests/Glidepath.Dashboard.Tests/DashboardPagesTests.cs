using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Gateway.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>Every page in a real Chromium, signed in as an owner, at 1280×800 and at a phone's width: it loads, says what it should, logs no error.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardPagesTests(Chromium chromium)
{
    public static TheoryData<string, int, int> Viewports => new() { { "desktop", 1280, 800 }, { "phone", 390, 844 } };

    [Theory]
    [MemberData(nameof(Viewports))]
    public async Task EveryPage_SignedInAsOwner_LoadsWithoutConsoleErrors(string name, int width, int height)
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        await h.Seed.TrafficAsync(canary: 40, stable: 360);
        await h.Seed.TickAsync();
        await h.Seed.TrafficAsync(canary: 12, stable: 20, seed: 2);
        var failed = await h.Seed.FailedTraceAsync();
        await h.Seed.GateVerdictAsync();
        await h.Seed.AlertAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"), width, height);
        var page = browser.Page;

        var pages = new (string Path, string Shot, string MustSee)[]
        {
            ("/dashboard/environments", "environments", "Controller"),
            ("/dashboard/env/staging/rollout", "rollout", "The judge now"),
            ("/dashboard/env/staging/history", "history", "rollout_started"),
            ("/dashboard/releases?a=v1&b=v2", "releases-diff", "canary-model"),
            ("/dashboard/releases/v2/verdicts", "gate", "refund-window"),
            ("/dashboard/env/staging/traces", "traces", "trace(s), newest first"),
            ($"/dashboard/env/staging/traces/{failed}", "trace", "glidepath evalset add --from-trace " + failed),
            ("/dashboard/env/staging/alerts", "alerts", "latency of v1 rose"),
            ("/dashboard/env/staging/checklist", "checklist", "isolated environment"),
            ("/dashboard/env/staging/confirm/rollback", "confirm-rollback", "Roll back now"),
        };
        foreach (var (path, shot, mustSee) in pages)
        {
            var response = await page.GotoAsync(h.Url + path);
            Assert.Equal(200, response!.Status);
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync(mustSee);
            await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardHarness.ScreenshotDir, $"{shot}-{name}.png"), FullPage = true });
        }

        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task TracePage_DownloadCase_IsTheEvalsetCaseOfTheTraceWithItsProvenance()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var id = await h.Seed.FailedTraceAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        await browser.Page.GotoAsync($"{h.Url}/dashboard/env/staging/traces/{id}");

        var download = await browser.Page.RunAndWaitForDownloadAsync(() => browser.Page.GetByTestId("case-download").ClickAsync());

        Assert.Equal($"case-{id}.jsonl", download.SuggestedFilename);
        var line = await File.ReadAllTextAsync((await download.PathAsync())!);
        using var json = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal(id, json.RootElement.GetProperty("metadata").GetProperty("trace_id").GetString());
        Assert.Contains("Can I return shoes after 45 days?", json.RootElement.GetProperty("input").GetRawText());
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task TracePage_ContentWithMarkup_IsShownAsTextNeverRunAsScript()
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        var id = await h.Seed.FailedTraceAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var dialogs = 0;
        browser.Page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };

        await browser.Page.GotoAsync($"{h.Url}/dashboard/env/staging/traces/{id}");

        await Assertions.Expect(browser.Page.Locator("main")).ToContainTextAsync("<script>alert(1)</script>");
        Assert.Equal(0, await browser.Page.Locator("main script").CountAsync());
        Assert.Equal(0, dialogs);
        Assert.Empty(browser.Errors);
    }

    // Captured through the gateway, whose JSON escapes only what JSON needs (until 2026-12-05 every non-ASCII character
    // and markup as \uXXXX): the page HTML-encodes the text, and the case to download reads back the same text.
    [Fact]
    public async Task TracePage_CjkAndScriptCapturedByTheGateway_ShownHtmlEscapedAndTheCaseRoundTrips()
    {
        const string text = "你好，世界 <script>alert('x')</script> & 1+1";
        await using var h = await DashboardHarness.StartAsync(chromium.Browser, editManifest: y => y.Replace("content: sampled", "content: all", StringComparison.Ordinal));
        using var sent = await h.F.PostAsync("/v1/chat/completions", GatewayFixture.Chat(System.Text.Json.JsonEncodedText.Encode(text).ToString()));
        Assert.Equal(System.Net.HttpStatusCode.OK, sent.StatusCode);
        var id = (await h.F.TraceAsync(sent.Headers.GetValues("Glidepath-Trace").Single())).TraceId;
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Viewer, "vic"));
        var dialogs = 0;
        browser.Page.Dialog += (_, d) => { dialogs++; _ = d.DismissAsync(); };

        var response = await browser.Page.GotoAsync($"{h.Url}/dashboard/env/staging/traces/{id}");
        var html = await response!.TextAsync();

        Assert.Contains("&lt;script&gt;alert(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(", html, StringComparison.Ordinal);
        await Assertions.Expect(browser.Page.Locator("main")).ToContainTextAsync(text);
        Assert.Equal(0, await browser.Page.Locator("main script").CountAsync());
        var download = await browser.Page.RunAndWaitForDownloadAsync(() => browser.Page.GetByTestId("case-download").ClickAsync());
        var lines = await File.ReadAllLinesAsync((await download.PathAsync())!);
        using var json = System.Text.Json.JsonDocument.Parse(Assert.Single(lines));
        Assert.Equal(text, json.RootElement.GetProperty("input").GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Contains(text, lines[0], StringComparison.Ordinal);
        Assert.Equal(0, dialogs);
        Assert.Empty(browser.Errors);
    }
}
