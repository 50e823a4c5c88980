namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// Where sign-in returns to: the dashboard page that sent a signed-out visitor to it. Only a local dashboard path is
/// kept (it starts with <c>/dashboard/</c>, not <c>//</c>, holds no backslash, control character, character beyond ASCII or <c>..</c> segment),
/// so a crafted sign-in link cannot send the user to another site after they sign in.
/// </summary>
internal static class DashboardReturnUrl
{
    private const int MaxLength = 2048;

    /// <summary>The sign-in page's address, carrying <paramref name="pathAndQuery"/> when it is a safe return URL.</summary>
    public static string SignInFor(string pathAndQuery)
    {
        // The environments page is where sign-in lands anyway: no return for it.
        var signIn = DashboardEndpointRouteBuilderExtensions.Prefix + "/sign-in";
        return Safe(pathAndQuery) is { } back && back != DashboardEndpointRouteBuilderExtensions.Prefix + "/environments"
            ? signIn + "?return=" + Uri.EscapeDataString(back)
            : signIn;
    }

    /// <summary><paramref name="value"/> when it is a local dashboard page to return to; null otherwise.</summary>
    public static string? Safe(string? value)
    {
        const string prefix = DashboardEndpointRouteBuilderExtensions.Prefix + "/";
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength || !value.StartsWith(prefix, StringComparison.Ordinal)
            || value.StartsWith(prefix + "sign-", StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var c in value)
        {
            // Beyond ASCII too: it would go into the Location header unescaped, which Kestrel refuses with an empty 500
            // (trial attacker2: return=/dashboard/é); a return the dashboard makes is percent-encoded.
            if (c == '\\' || char.IsControl(c) || char.IsWhiteSpace(c) || c > '~')
            {
                return null;
            }
        }

        // An encoded dot, slash or backslash in the path could become one of the above once a browser decodes it.
        var path = value.Split('?', 2)[0];
        return path.Contains("//", StringComparison.Ordinal) || path.Split('/').Any(segment => segment is ".." or ".")
            || path.Contains("%2e", StringComparison.OrdinalIgnoreCase) || path.Contains("%2f", StringComparison.OrdinalIgnoreCase) || path.Contains("%5c", StringComparison.OrdinalIgnoreCase)
            ? null
            : value;
    }
}
