namespace Glidepath.Gateway.Hosting;

/// <summary>Which of the gateway's listeners a connection arrived on: each answers only its own paths.</summary>
internal enum Listener
{
    /// <summary>The traffic API (and the admin API and /metrics when they have no port of their own).</summary>
    Main,

    /// <summary><c>--admin-urls</c>: the admin API only.</summary>
    Admin,

    /// <summary><c>--metrics-urls</c>: <c>/metrics</c> only, without a token.</summary>
    Metrics,
}
