using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests.Support;

/// <summary>
/// One headless Chromium for every dashboard test (Debian's <c>chromium</c> at /usr/bin/chromium, or
/// <c>GLIDEPATH_CHROMIUM</c>): Playwright drives it through the driver its package ships, and never downloads a browser.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    /// <summary>How long a page wait or an expectation may take before it fails (ms); see <see cref="InitializeAsync"/>.</summary>
    public const float WaitMs = 90_000;

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

        // Generous: other test projects run beside these on a small machine (a clean-clone CI run missed a 30 s sign-in
        // wait with the page already drawn). A wait ends as soon as the page shows the state, so a passing run is no
        // slower for it; the bound only turns a state that never comes into a failure.
        Assertions.SetDefaultExpectTimeout(WaitMs);
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
