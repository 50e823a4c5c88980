using Glidepath.Access;
using Glidepath.Gateway.Tests.Admin;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary>/metrics needs a token on the traffic port; the admin API and /metrics each answer only on their own port when given one.</summary>
public sealed class ListenerTests
{
    [Fact]
    public async Task Metrics_OnTheTrafficPort_NeedsATokenWithARoleInTheServedEnvironment()
    {
        await using var h = await AdminHarness.StartAsync(); // serves staging
        var viewer = await h.TokenAsync(Role.Viewer, "staging");
        var everywhere = await h.TokenAsync(Role.Viewer, "*");

        var none = await h.SendAsync(HttpMethod.Get, "/metrics", bearer: null);
        var bad = await h.SendAsync(HttpMethod.Get, "/metrics", AccessTokenSecret.New());
        var ok = await h.SendAsync(HttpMethod.Get, "/metrics", viewer);
        var star = await h.SendAsync(HttpMethod.Get, "/metrics", everywhere);

        Assert.Equal((401, 401, 200, 200), (none.Status, bad.Status, ok.Status, star.Status));
        Assert.Contains("# TYPE", ok.Body, StringComparison.Ordinal);
    }

    // A review: routing matches /METRICS and /metrics/ too, and the gate compared the exact bytes, so they were served
    // without the token check (and /ADMIN/v1 reached the admin API on the traffic port when it has its own).
    [Theory]
    [InlineData("/METRICS")]
    [InlineData("/metrics/")]
    [InlineData("/Metrics")]
    public async Task Metrics_AnotherCaseOrATrailingSlash_NeedsTheTokenToo(string path)
    {
        await using var h = await AdminHarness.StartAsync();

        var none = await h.SendAsync(HttpMethod.Get, path, bearer: null);

        Assert.Equal(401, none.Status);
        Assert.DoesNotContain("glidepath_", none.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/METRICS")]
    [InlineData("/metrics/")]
    [InlineData("/ADMIN/v1/status")]
    [InlineData("/Dashboard")]
    public async Task SeparatePorts_AnotherCaseOrATrailingSlash_StillOnlyOnTheirOwnPort(string path)
    {
        await using var h = await AdminHarness.StartAsync(o => o with { AdminUrls = ["http://127.0.0.1:0"], MetricsUrls = ["http://127.0.0.1:0"] });
        var viewer = await h.TokenAsync(Role.Viewer);

        var onMain = await h.SendAsync(HttpMethod.Get, path, viewer, baseUrl: h.F.Server!.Urls.Single());

        Assert.Equal(404, onMain.Status);
    }

    [Fact]
    public async Task Metrics_TokenOfAnotherEnvironment_Is403NamingTheServedEnvironment()
    {
        await using var h = await AdminHarness.StartAsync(); // serves staging
        var productionAdmin = await h.TokenAsync(Role.Admin, "production");

        var refused = await h.SendAsync(HttpMethod.Get, "/metrics", productionAdmin);

        Assert.Equal(403, refused.Status);
        Assert.Contains("'staging'", refused.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("glidepath_release", refused.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WithoutTheAdminApi_IsRefusedOnTheTrafficPort()
    {
        await using var f = await Support.GatewayFixture.CreateAsync();
        await f.StartAsync();

        using var response = await f.Http.GetAsync(f.Url + "/metrics");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SeparatePorts_EachAnswersOnlyItsOwnPaths_MetricsThereWithoutToken()
    {
        await using var h = await AdminHarness.StartAsync(o => o with { AdminUrls = ["http://127.0.0.1:0"], MetricsUrls = ["http://127.0.0.1:0"] });
        var server = h.F.Server!;
        var viewer = await h.TokenAsync(Role.Viewer);
        var (main, admin, metrics) = (server.Urls.Single(), server.AdminUrls.Single(), server.MetricsUrls.Single());

        var adminOnAdmin = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", viewer, baseUrl: admin);
        var adminOnMain = await h.SendAsync(HttpMethod.Get, "/admin/v1/status", viewer, baseUrl: main);
        var metricsOnMetrics = await h.SendAsync(HttpMethod.Get, "/metrics", bearer: null, baseUrl: metrics);
        var metricsOnMain = await h.SendAsync(HttpMethod.Get, "/metrics", viewer, baseUrl: main);
        var chatOnAdmin = await h.SendAsync(HttpMethod.Post, "/v1/chat/completions", null, Support.GatewayFixture.Chat(), baseUrl: admin);
        var chatOnMain = await h.SendAsync(HttpMethod.Post, "/v1/chat/completions", null, Support.GatewayFixture.Chat(), baseUrl: main);

        Assert.Equal(3, new[] { main, admin, metrics }.Distinct().Count());
        Assert.Equal((200, 404, 200, 404, 404, 200), (adminOnAdmin.Status, adminOnMain.Status, metricsOnMetrics.Status, metricsOnMain.Status, chatOnAdmin.Status, chatOnMain.Status));
    }

    // Slow connections to the admin port used up file descriptors the traffic port shares (security.md said: no cap).
    [Fact]
    public async Task SeparateAdminPort_MoreConnectionsThanItsCap_TheNextIsClosedUntilOneEnds_TheTrafficPortUnaffected()
    {
        await using var h = await AdminHarness.StartAsync(o => o with { AdminUrls = ["http://127.0.0.1:0"], SidePortMaxConnections = 2 });
        var admin = new Uri(h.F.Server!.AdminUrls.Single());
        var main = new Uri(h.F.Server!.Urls.Single());

        using var first = await OpenAsync(admin);
        using var second = await OpenAsync(admin);
        var refused = await ConnectAndAskAsync(admin, CancellationToken.None);
        using var onMain1 = await OpenAsync(main, "/healthz");
        using var onMain2 = await OpenAsync(main, "/healthz");
        using var onMain3 = await OpenAsync(main, "/healthz");

        Assert.Null(refused);
        first.Dispose();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? accepted = null;
        while (accepted is null)
        {
            // Until the server has seen the first connection end; each try that comes before is closed as the third was.
            deadline.Token.ThrowIfCancellationRequested();
            accepted = await ConnectAndAskAsync(admin, deadline.Token);
        }

        Assert.StartsWith("HTTP/1.1 200", accepted, StringComparison.Ordinal);
    }

    /// <summary>
    /// A new connection's answer, or null when the server closed it unanswered. The server aborts a connection over the cap
    /// as soon as it accepts it, so the reset can reach the client while it is still connecting (CI, 2026-12-07: "Connection
    /// reset by peer" from ConnectAsync): that is a refusal too.
    /// </summary>
    private static async Task<string?> ConnectAndAskAsync(Uri url, CancellationToken cancellationToken)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(url.Host, url.Port, cancellationToken);
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionReset)
        {
            return null;
        }

        return await AskAsync(client);
    }

    // A connection that has had an answer (so it is counted) and is kept open.
    private static async Task<System.Net.Sockets.TcpClient> OpenAsync(Uri url, string path = AdminPath)
    {
        var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(url.Host, url.Port);
        Assert.StartsWith("HTTP/1.1 200", await AskAsync(client, path), StringComparison.Ordinal);
        return client;
    }

    private const string AdminPath = "/admin/v1/openapi.json";

    // The status line of one request on the connection, read to the end of its answer; null when the server closed the
    // connection without one.
    private static async Task<string?> AskAsync(System.Net.Sockets.TcpClient client, string path = AdminPath)
    {
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n"));
            var received = new System.Text.StringBuilder();
            var buffer = new byte[64 * 1024];
            while (!Complete(received.ToString()))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return received.Length == 0 ? null : throw new IOException("closed mid-answer");
                }

                received.Append(System.Text.Encoding.ASCII.GetString(buffer, 0, read));
            }

            var text = received.ToString();
            return text[..text.IndexOf('\r', StringComparison.Ordinal)];
        }
        catch (IOException) when (!client.Connected || client.Available == 0)
        {
            return null; // reset instead of closed
        }
    }

    private static bool Complete(string text)
    {
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0)
        {
            return false;
        }

        var length = System.Text.RegularExpressions.Regex.Match(text[..headerEnd], "(?i)\r\ncontent-length: *([0-9]+)");
        return length.Success
            ? text.Length - headerEnd - 4 >= int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9464", "127.0.0.1", 9464)]
    [InlineData("http://localhost:0", "127.0.0.1", 0)]
    [InlineData("http://0.0.0.0:4001", "0.0.0.0", 4001)]
    [InlineData("http://[::1]:4001", "::1", 4001)]
    public void Parse_ListenUrl_AddressAndPort_BarePortIsLoopback(string url, string address, int port)
    {
        var (a, p) = Glidepath.Gateway.Hosting.ListenEndpoints.Parse(url);

        Assert.Equal((address, port), (a.ToString(), p));
    }

    [Theory]
    [InlineData("https://127.0.0.1:4001")]
    [InlineData("http://127.0.0.1")]
    [InlineData("http://gateway.internal:4001")]
    public void Parse_UnusableListenUrl_IsBadInput(string url) =>
        Assert.Throws<Glidepath.Errors.BadInputException>(() => Glidepath.Gateway.Hosting.ListenEndpoints.Parse(url));
}
