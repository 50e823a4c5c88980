using Deque.AxeCore.Playwright;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// axe-core (WCAG 2 A and AA rules) finds nothing serious or critical on the main pages, at desktop and phone width (the
/// checklist's table, wider than a phone, scrolls in a box the keyboard can focus: scrollable-region-focusable).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(Chromium chromium)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task MainPages_HaveNoSeriousOrCriticalAxeViolations(int width, int height)
    {
        await using var h = await DashboardHarness.StartAsync(chromium.Browser);
        await h.Seed.StartRolloutAsync();
        await h.Seed.TrafficAsync(canary: 400, stable: 800);
        await h.Seed.TickAsync();
        await h.Seed.GateVerdictAsync();
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, "alice"), width, height);
        var found = new List<string>();
        foreach (var path in new[] { "/dashboard/environments", "/dashboard/env/staging/rollout", "/dashboard/env/staging/history", "/dashboard/env/staging/traces", "/dashboard/releases?a=v1&b=v2", "/dashboard/releases/v2/verdicts", "/dashboard/env/staging/confirm/rollback", "/dashboard/env/staging/checklist?release=v2" })
        {
            await browser.Page.GotoAsync(h.Url + path);
            var result = await browser.Page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
            {
                RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
            });
            Assert.NotEmpty(result.Passes); // axe ran (the page's content security policy does not stop Playwright's injection)
            found.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical")
                .Select(v => $"{path}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}"));
        }

        Assert.True(found.Count == 0, string.Join("\n", found));
    }
}
