using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests.Support;

/// <summary>
/// One headless Chromium for every dashboard test (Debian's <c>chromium</c> at /usr/bin/chromium, or
/// <c>GLIDEPATH_CHROMIUM</c>): Playwright drives it through the driver its package ships, and never downloads a browser.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("GLIDEPATH_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"no Chromium at {ExecutablePath}: run scripts/setup-test-deps.sh start (it installs Debian's chromium) or set GLIDEPATH_CHROMIUM");
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        // Generous: other test projects build and run beside these on a small machine. A wait ends as soon as the page
        // shows the state, so a passing run is no slower for it.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The dashboard tests share one browser, and run one class at a time beside the other test projects.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    public const string Name = "browser";
}
