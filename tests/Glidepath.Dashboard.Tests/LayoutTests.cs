using System.Text.Json;
using Glidepath.Access;
using Glidepath.Dashboard.Tests.Support;
using Glidepath.Environments;
using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests;

/// <summary>
/// The longest names the product accepts (a 63-character app, a 32-character environment, a 64-character token) and
/// reasons of 492 characters without a space, in Arabic and Latin, fit a 375 px phone and the sidebar of a 1024 px laptop:
/// they wrap, and only tables scroll, inside their own box.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutTests(Chromium chromium)
{
    private static readonly string App = "support-agent-" + new string('x', 49);
    private static readonly string Production = "prd-" + new string('p', 28);
    private static readonly string Owner = "فريق الدعم — <b>on-call</b> équipe 🚀 " + new string('w', 80);
    private static readonly string Reason = Long("سبب طويل جدا <img src=x onerror=alert(1)> ", 'ب', 'Z');
    private static readonly string TokenName = "owner-" + new string('n', 58);

    private static string Long(string start, char a, char b) => start + new string(a, 200) + new string(b, 492 - start.Length - 200);

    private static Task<DashboardHarness> StartAsync(Chromium chromium) =>
        DashboardHarness.StartAsync(chromium.Browser, editManifest: y => y
            .Replace("app: support-agent", "app: " + App, StringComparison.Ordinal)
            .Replace("production", Production, StringComparison.Ordinal)
            .Replace("owner: support-ai-oncall", "owner: \"" + Owner + "\"", StringComparison.Ordinal));

    private static async Task SeedAsync(DashboardHarness h)
    {
        await h.Seed.StartRolloutAsync(Reason);
        await h.Seed.TrafficAsync(canary: 40, stable: 80);
        var environments = new EnvironmentService(h.F.Manifest, h.F.Store.Environments, h.F.Store.GateVerdicts, h.F.Store.Releases, h.F.Store.Shadows, TimeProvider.System);
        await environments.FreezeAsync("staging", "token:" + TokenName, Reason, CancellationToken.None);
    }

    private static string[] Pages =>
    [
        "/dashboard/environments",
        "/dashboard/env/staging/rollout",
        "/dashboard/env/staging/history",
        "/dashboard/env/staging/traces",
        "/dashboard/env/staging/checklist?release=v2",
        "/dashboard/env/staging/confirm/rollback",
        "/dashboard/releases?a=v1&b=v2",
        "/dashboard/releases/v2/verdicts",
        $"/dashboard/env/{Production}/rollout",
        "/dashboard/nope",
    ];

    [Fact]
    public async Task Pages_LongestNamesAndReasons_NoWiderThanA375pxPhone_AndTheNavEndsWithItsLinks()
    {
        await using var h = await StartAsync(chromium);
        await SeedAsync(h);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, TokenName), width: 375, height: 667);
        var page = browser.Page;
        var failures = new List<string>();

        foreach (var path in Pages)
        {
            await page.GotoAsync(h.Url + path);
            var m = await page.EvaluateAsync<JsonElement>(Measure);
            if (m.GetProperty("scroll").GetInt32() > m.GetProperty("client").GetInt32())
            {
                failures.Add($"{path}: {m}");
            }

            // The button beside the long token name keeps its words whole.
            if (m.GetProperty("signOutLines").GetInt32() != 1)
            {
                failures.Add($"{path}: Sign out takes {m.GetProperty("signOutLines").GetInt32()} lines");
            }

            // A short page (the 404) leaves no empty block under the navigation's last links.
            if (m.GetProperty("navGap").GetDouble() > 32)
            {
                failures.Add($"{path}: the navigation ends {m.GetProperty("navGap").GetDouble()} px below its links");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardHarness.ScreenshotDir, "long-names-history-phone.png"), FullPage = true });
    }

    [Fact]
    public async Task Pages_LongestNames_StayInsideTheSidebarOfA1024pxLaptop_AndReasonsAreIsolated()
    {
        await using var h = await StartAsync(chromium);
        await SeedAsync(h);
        var browser = await h.SignedInAsync(await h.TokenAsync(Role.Owner, TokenName), width: 1024, height: 768);
        var page = browser.Page;
        var failures = new List<string>();

        foreach (var path in Pages)
        {
            await page.GotoAsync(h.Url + path);
            var m = await page.EvaluateAsync<JsonElement>(Measure);
            if (m.GetProperty("scroll").GetInt32() > m.GetProperty("client").GetInt32() || m.GetProperty("navOverflow").GetBoolean())
            {
                failures.Add($"{path}: {m}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Right-to-left text is isolated from the words around it (the quotes and "· revision N" keep their places).
        await page.GotoAsync(h.Url + "/dashboard/env/staging/history");
        await Assertions.Expect(page.Locator("q > bdi").First).ToHaveTextAsync(Reason);
        await page.GotoAsync(h.Url + "/dashboard/environments");
        await Assertions.Expect(page.GetByTestId("env-" + Production).Locator("dd > bdi", new() { HasTextString = "فريق الدعم" })).ToHaveTextAsync(Owner);
    }

    // The page's width against the window's, what sticks out (outside the tables' scroll boxes), how far the navigation
    // reaches below its last list, whether anything in it runs past its edge, and on how many lines "Sign out" is drawn.
    private const string Measure = """
        () => {
          const de = document.documentElement, width = de.clientWidth, out = [];
          for (const el of document.body.querySelectorAll("*")) {
            if (el.closest(".scroll") && !el.classList.contains("scroll")) continue;
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.right > width + 0.5) out.push(el.tagName + "." + el.className + " @" + Math.round(r.right));
          }
          const nav = document.querySelector("nav.sections");
          let navGap = 0, navOverflow = false;
          if (nav) {
            const last = nav.lastElementChild.getBoundingClientRect(), box = nav.getBoundingClientRect();
            navGap = box.bottom - last.bottom;
            navOverflow = nav.scrollWidth > nav.clientWidth
              || Array.from(nav.querySelectorAll("*")).some(e => e.getBoundingClientRect().right > box.right + 0.5);
          }
          const range = document.createRange();
          range.selectNodeContents(document.querySelector(".who button"));
          const signOutLines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
          return { scroll: de.scrollWidth, client: width, navGap, navOverflow, signOutLines, out: out.slice(0, 6) };
        }
        """;
}
