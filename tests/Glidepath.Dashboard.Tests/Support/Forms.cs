using Microsoft.Playwright;

namespace Glidepath.Dashboard.Tests.Support;

/// <summary>Posts a form with a page's own cookies (its session), as a hand-made request rather than a click.</summary>
internal static class Forms
{
    /// <summary>The antiforgery token the page was given (every signed-in page has one in its sign-out form).</summary>
    public static Task<string> TokenAsync(IPage page) => page.Locator("form.who input[name=csrf]").GetAttributeAsync("value")!;

    /// <summary>
    /// A same-origin post of <paramref name="body"/> plus the page's antiforgery token (unless <paramref name="withToken"/>
    /// is false), with <c>Origin: </c><paramref name="origin"/> (this origin by default; none when <paramref name="withOrigin"/> is false).
    /// </summary>
    public static async Task<IAPIResponse> PostAsync(IPage page, string baseUrl, string path, string body, bool withToken = true, string? origin = null, bool withOrigin = true)
    {
        if (!page.Url.StartsWith(baseUrl + "/dashboard/", StringComparison.Ordinal) || page.Url.Contains("/sign-in", StringComparison.Ordinal))
        {
            await page.GotoAsync(baseUrl + "/dashboard/environments");
        }

        var token = withToken ? "&csrf=" + Uri.EscapeDataString(await TokenAsync(page)) : "";
        var headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" };
        if (withOrigin)
        {
            headers["Origin"] = origin ?? baseUrl;
        }

        return await page.Context.APIRequest.PostAsync(baseUrl + path, new()
        {
            Headers = headers,
            Data = body + token,
            MaxRedirects = 0,
        });
    }
}
