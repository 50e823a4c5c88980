using System.Globalization;
using Glidepath.Gateway.Wire;
using Glidepath.Keys;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Keys;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Glidepath.Gateway.Forwarding;

/// <summary>
/// The caller's key on the traffic endpoints, as each SDK already sends its API key: <c>Authorization: Bearer</c>
/// (OpenAI SDKs and current Anthropic SDKs) or <c>x-api-key</c> (older Anthropic SDKs, curl). Refusals are written in the caller's wire format: 401 for a missing, unknown,
/// revoked or other-environment key, 429 with <c>Retry-After</c> over the key's rate or daily budget.
/// </summary>
internal sealed class CallerAuthentication(CallerKeys keys, GatewayOptions options)
{
    public const string ApiKeyHeader = "x-api-key";

    /// <summary>Whether requests need a key at all.</summary>
    public bool Required => options.RequireKeys;

    /// <summary>
    /// The caller's key when one is required and accepted, <see cref="Anonymous"/> when none is required, or null when
    /// the request was refused (the answer is written): without keys, a loopback request naming another host is a 403.
    /// </summary>
    public async Task<ApiKey?> AuthenticateAsync(HttpContext http, IWireFormat wire)
    {
        if (!options.RequireKeys)
        {
            if (RebindingHost(http) is { } host)
            {
                await HttpAnswers.ErrorAsync(http, wire, 403, ErrorKinds.Permission,
                    $"the request came in on this machine's loopback address but names the host '{host}': a gateway without keys answers only to localhost, " +
                    "127.0.0.1, [::1], this machine's name or host.docker.internal, so a web page that rebinds its own name to 127.0.0.1 cannot use it; " +
                    "call it by one of those names, or require keys (--require-keys)").ConfigureAwait(false);
                return null;
            }

            return Anonymous;
        }

        var check = keys.Check(Presented(http.Request.Headers));
        if (check.Accepted)
        {
            return check.Key;
        }

        await RefuseAsync(http, wire, check).ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// For a request that will call the model: admits it against its key's share of the provider slots and its daily
    /// budget with the key's requests in flight (<see cref="CallerKeys.Admit"/>); false when refused (the 429 is written).
    /// The places are given back when the request ends (<see cref="Leave"/>, and the budget's when the response is disposed).
    /// </summary>
    public async Task<bool> AdmitAsync(HttpContext http, IWireFormat wire, RequestState state)
    {
        var key = state.Key;
        if (!options.RequireKeys || ReferenceEquals(key, Anonymous))
        {
            return true;
        }

        var check = keys.Admit(key);
        if (check.Accepted)
        {
            // Recorded first: the endpoint gives the key's place back by it, whatever happens next.
            state.AdmittedKeyId = key.Id;
        }

        if (check.InFlight)
        {
            http.Response.RegisterForDispose(new InFlightRequest(keys, key.Id));
        }

        if (check.Accepted)
        {
            return true;
        }

        await RefuseAsync(http, wire, check).ConfigureAwait(false);
        return false;
    }

    /// <summary>The request admitted by <see cref="AdmitAsync"/> has ended (answered, failed or abandoned).</summary>
    public void Leave(RequestState state)
    {
        if (state.AdmittedKeyId is { } keyId)
        {
            state.AdmittedKeyId = null;
            keys.Left(keyId);
        }
    }

    /// <summary>
    /// The <c>Host</c> of a request that arrived on a loopback connection but does not name loopback (DNS rebinding: a
    /// web page whose name now resolves to 127.0.0.1, so the browser treats the gateway as the page's own origin and
    /// may read its answers), or null. Only gateways that serve without keys need it; a page has no caller's key.
    /// </summary>
    private static string? RebindingHost(HttpContext http)
    {
        var host = http.Request.Host;
        return host.HasValue && http.Connection.LocalIpAddress is { } local && Hosting.ListenExposure.IsLoopback(local)
            && !LocalName(host.Host)
            ? host.Value
            : null;
    }

    /// <summary>This machine's own name, read once (a system call on each read).</summary>
    private static readonly string ThisMachine = Environment.MachineName;

    /// <summary>
    /// Names no web page can take for its own origin: loopback (<c>localhost</c>, <c>*.localhost</c>, 127.0.0.0/8,
    /// <c>[::1]</c>), this machine's own name (which resolves to 127.0.1.1 on Debian) and <c>host.docker.internal</c>
    /// (a container calling its host). A rebinding page's Host is a name its owner controls in public DNS.
    /// </summary>
    private static bool LocalName(string host) =>
        Hosting.ListenExposure.IsLoopbackName(host)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || host.Equals(ThisMachine, StringComparison.OrdinalIgnoreCase)
        || host.Equals("host.docker.internal", StringComparison.OrdinalIgnoreCase);

    private async Task RefuseAsync(HttpContext http, IWireFormat wire, CallerCheck check)
    {
        if (check.RetryAfter > TimeSpan.Zero)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(check.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var (status, kind) = check.Result is CallerCheckResult.RateLimited or CallerCheckResult.OverBudget or CallerCheckResult.BudgetInFlight or CallerCheckResult.TooManyInFlight
            ? (429, ErrorKinds.RateLimited)
            : (401, ErrorKinds.Authentication);
        await HttpAnswers.ErrorAsync(http, wire, status, kind, Message(check)).ConfigureAwait(false);
    }

    /// <summary>Stands for "no key needed": never stored, never on a trace.</summary>
    public static ApiKey Anonymous { get; } = new()
    {
        Id = "",
        App = "",
        Environment = "",
        Name = "",
        KeyHash = "",
        CreatedAt = DateTimeOffset.UnixEpoch,
        CreatedBy = "",
    };

    /// <summary>The key from <c>x-api-key</c>, else from <c>Authorization: Bearer</c>; null when neither is sent.</summary>
    public static string? Presented(IHeaderDictionary headers)
    {
        if (headers[ApiKeyHeader].ToString() is { Length: > 0 } apiKey)
        {
            return apiKey.Trim();
        }

        var authorization = headers[HeaderNames.Authorization].ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;
    }

    private string Message(CallerCheck check) => check.Result switch
    {
        CallerCheckResult.Missing => "this gateway needs a key: give it to your SDK as its api key (sent as 'Authorization: Bearer gpk_…'), or send 'x-api-key: gpk_…'; 'glidepath keys create' makes one",
        CallerCheckResult.Unknown => "the key sent is not a key of this gateway (wrong, mistyped, or of another store); check the key, or create one with 'glidepath keys create'",
        CallerCheckResult.Revoked => $"key '{check.Key!.Name}' was revoked at {check.Key.RevokedAt:yyyy-MM-dd HH:mm:ss} UTC; ask for a new key ('glidepath keys create')",
        CallerCheckResult.OtherEnvironment => $"key '{check.Key!.Name}' is for environment '{check.Key.Environment}', not this gateway's; use that environment's gateway or a key of this one",
        CallerCheckResult.RateLimited => string.Create(CultureInfo.InvariantCulture, $"key '{check.Key!.Name}' is over its limit of {check.Key.RequestsPerMinute} requests per minute; retry after {Math.Ceiling(check.RetryAfter.TotalSeconds)} s"),
        CallerCheckResult.OverBudget => string.Create(CultureInfo.InvariantCulture, $"key '{check.Key!.Name}' has spent its budget of ${check.Key.BudgetUsdPerDay:0.######} for today (UTC, ${keys.SpentToday(check.Key.Id):0.######} so far); it resets at midnight UTC"),
        CallerCheckResult.BudgetInFlight => string.Create(CultureInfo.InvariantCulture, $"key '{check.Key!.Name}' has ${check.Key.BudgetUsdPerDay - keys.SpentToday(check.Key.Id):0.######} of its ${check.Key.BudgetUsdPerDay:0.######} budget left for today, and its requests still in flight may spend it; retry after 1 s"),
        CallerCheckResult.TooManyInFlight => string.Create(CultureInfo.InvariantCulture, $"key '{check.Key!.Name}' has {keys.MaxInFlight} requests calling the model at once, its share of this gateway's provider slots ({keys.MaxInFlightSource}); retry after 1 s, or when one of them ends"),
        _ => "the key was not accepted",
    };
}
