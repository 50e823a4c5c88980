using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Glidepath.Dashboard.Tests.Support;

/// <summary>
/// A browser as the gateway sees it behind a reverse proxy: real HTTP to the listener, each request carrying the headers
/// a proxy adds (<c>Host</c>, <c>X-Forwarded-Proto</c>…), and the cookies the server set kept by hand, Secure ones
/// included (a cookie jar would not send a Secure cookie over the plain http the proxy speaks).
/// </summary>
internal sealed partial class ProxiedClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _baseUrl;
    private readonly Dictionary<string, string> _cookies;

    /// <param name="unixSocket">Connects through this Unix socket instead of TCP (the URL's host is then only the Host header).</param>
    /// <param name="cookies">
    /// The cookie jar, when it is shared with other clients: one browser behind a load balancer, each client a gateway the
    /// balancer may send a request to. Default: a jar of its own.
    /// </param>
    public ProxiedClient(string baseUrl, IReadOnlyDictionary<string, string> proxyHeaders, string? unixSocket = null, Dictionary<string, string>? cookies = null)
    {
        _cookies = cookies ?? new(StringComparer.Ordinal);
        var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false };
        if (unixSocket is not null)
        {
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(unixSocket), ct);
                return new NetworkStream(socket, ownsSocket: true);
            };
        }

        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        _baseUrl = baseUrl;
        ProxyHeaders = proxyHeaders;
    }

    public IReadOnlyDictionary<string, string> ProxyHeaders { get; }

    /// <summary>Every <c>Set-Cookie</c> line the server sent, as sent (to check its attributes).</summary>
    public List<string> SetCookies { get; } = [];

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, _baseUrl + path));

    /// <summary>Posts <paramref name="fields"/> plus the antiforgery token of the last page read, with <c>Origin: </c><paramref name="origin"/>.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string path, string origin, string csrf, params (string Name, string Value)[] fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl + path)
        {
            Content = new FormUrlEncodedContent([.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value)), KeyValuePair.Create("csrf", csrf)]),
        };
        request.Headers.Add("Origin", origin);
        return SendAsync(request);
    }

    /// <summary>The antiforgery token a page's form carries.</summary>
    public static async Task<string> CsrfAsync(HttpResponseMessage page)
    {
        var html = await page.Content.ReadAsStringAsync();
        var match = CsrfField().Match(html);
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException("no antiforgery field on the page: " + html);
    }

    /// <summary>The <c>Set-Cookie</c> line that set <paramref name="name"/>, or null.</summary>
    public string? SetCookie(string name) => SetCookies.LastOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal));

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        foreach (var (name, value) in ProxyHeaders)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.Add(name, value);
            }
        }

        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
        }

        var response = await _http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var lines))
        {
            foreach (var line in lines)
            {
                SetCookies.Add(line);
                var pair = line.Split(';', 2)[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                _cookies[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return response;
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
