using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway;

/// <summary>How <see cref="GatewayServer"/> hosts the gateway: where Kestrel listens, logging, OTLP export, the endpoints' options.</summary>
public sealed record GatewayServerOptions
{
    /// <summary>Kestrel listen addresses, e.g. <c>http://127.0.0.1:8080</c>; port 0 picks a free port.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:4000"];

    /// <summary>
    /// The admin API (<c>/admin/v1</c>): what it works on and whom it believes; null leaves it out, and then <c>/metrics</c>
    /// on the main listener refuses every request (no token can be checked) — give it <see cref="MetricsUrls"/>.
    /// </summary>
    public Admin.AdminOptions? Admin { get; init; }

    /// <summary>
    /// The dashboard (<c>/dashboard</c>), served with the admin API on its listener and built on it; null leaves it out.
    /// Ignored without <see cref="Admin"/>.
    /// </summary>
    public Dashboard.DashboardOptions? Dashboard { get; init; } = new();

    /// <summary>When not empty, the admin API is served only on these addresses (and not on <see cref="Urls"/>).</summary>
    public IReadOnlyList<string> AdminUrls { get; init; } = [];

    /// <summary>
    /// When not empty, <c>/metrics</c> is served only on these addresses, without a token (a bare port is 127.0.0.1);
    /// otherwise on <see cref="Urls"/>, to a request with an access token holding a role (any role) in the environment served.
    /// </summary>
    public IReadOnlyList<string> MetricsUrls { get; init; } = [];

    /// <summary>
    /// The most connections open at once on the admin port (all of <see cref="AdminUrls"/>), and separately on the
    /// metrics port; a connection beyond it is closed as it is accepted. Only for separate ports: many slow connections
    /// to them would otherwise use up the file descriptors the traffic port shares (trial attacker2). An open dashboard
    /// page holds one for its live updates.
    /// </summary>
    public int SidePortMaxConnections { get; init; } = 256;

    /// <summary>
    /// The reverse proxies whose <c>X-Forwarded-Proto</c> (and <c>X-Forwarded-Host</c>, for the hosts named) the admin
    /// API and the dashboard believe; null ignores those headers from everyone. Chat traffic never reads them.
    /// </summary>
    public TrustedProxies? ForwardedFrom { get; init; }

    /// <summary>The endpoints' own options (body size limit).</summary>
    public GatewayOptions Gateway { get; init; } = new();

    /// <summary>OTLP endpoint (from OTEL_EXPORTER_OTLP_ENDPOINT); null turns OTLP export off.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>Minimum log level of the host (Warning keeps request logs out of a CLI's output).</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>"text" (the console's lines) or "json" (one JSON object per line, for a log pipeline).</summary>
    public string LogFormat { get; init; } = "text";

    /// <summary>Log lines on stderr instead of stdout (a CLI under <c>--format json</c>, whose stdout is its JSON document).</summary>
    public bool LogsToStderr { get; init; }

    /// <summary>
    /// How long a stop may take (the host's <c>ShutdownTimeout</c>): requests in flight are finished within it (Kestrel
    /// aborts those still running when it ends), and the traces they and earlier requests left queued are written within
    /// it too, with at least 5 s for that even when the requests used all of it. 30 s by default.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
