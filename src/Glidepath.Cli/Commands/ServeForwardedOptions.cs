using System.CommandLine;
using Glidepath.Gateway;

namespace Glidepath.Cli.Commands;

/// <summary>
/// <c>serve</c> and <c>dashboard</c> <c>--forwarded-from</c> / <c>--forwarded-host</c>: the TLS-terminating reverse proxies
/// whose forwarded scheme and host the admin API and the dashboard believe.
/// </summary>
internal sealed class ServeForwardedOptions
{
    private readonly Option<string[]> _from = new("--forwarded-from")
    {
        Description = "ADDR|CIDR|unix: believe X-Forwarded-Proto from the reverse proxy connecting from here (TLS in front of the admin API and dashboard); repeatable. Other callers' X-Forwarded-* are ignored",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string[]> _hosts = new("--forwarded-host")
    {
        Description = "HOST: also believe X-Forwarded-Host from --forwarded-from when it names this public host (*.example.com for subdomains); repeatable. Without it the Host header the proxy passes on is used",
        AllowMultipleArgumentsPerToken = true,
    };

    public static ServeForwardedOptions Create() => new();

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(_from);
        command.Add(_hosts);
    }

    /// <summary>For a start-up note: "; forwarded scheme believed from 10.0.0.2 (and X-Forwarded-Host naming gp.example.com)", or nothing.</summary>
    public static string Describe(TrustedProxies? proxies) => proxies is null ? ""
        : $"; forwarded scheme believed from {proxies}{(proxies.Hosts.Count == 0 ? "" : $" (and X-Forwarded-Host naming {string.Join(", ", proxies.Hosts)})")}";

    /// <summary>The proxies named, or null when none is (forwarded headers ignored); a bad value is exit 2 before anything listens.</summary>
    public TrustedProxies? Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return TrustedProxies.Parse(parse.GetValue(_from) ?? [], parse.GetValue(_hosts) ?? []);
    }
}
