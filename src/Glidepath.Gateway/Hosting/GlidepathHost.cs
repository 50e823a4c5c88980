using System.Globalization;
using Glidepath.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Glidepath.Gateway.Hosting;

/// <summary>
/// The one way the gateway and the dashboard build their ASP.NET Core host. Its content root is the install directory,
/// not the directory the command runs in, and configuration files are read once, not watched: the gateway's settings
/// come from the manifest and the command line, so an <c>appsettings.json</c> that happens to sit in the user's
/// repository must not reconfigure Kestrel or logging, and the default watcher over the working directory turned every
/// write of the store's SQLite files (<c>.glidepath/</c>) into inotify events — about 8% of the gateway's CPU under load.
/// </summary>
internal static class GlidepathHost
{
    /// <param name="logsToStderr">
    /// Log lines go to stderr, not stdout: under <c>--format json</c> stdout carries the command's JSON document only
    /// (DESIGN.md: diagnostics go to stderr), a failure to start included.
    /// </param>
    public static WebApplicationBuilder CreateSlim(bool logsToStderr = false)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        // The host's start-up lines ("Now listening on", "Hosting environment: Production", "Content root path") repeat
        // what the command's own banner says, or name ASP.NET's environment, which readers took for a Glidepath
        // environment. Its warnings and errors still show.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddConsoleTimestamps();
        if (logsToStderr)
        {
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        return builder;
    }

    /// <summary>
    /// Checks the URLs Kestrel is to listen on (<c>--urls</c>) before the host starts: <c>http://</c> or
    /// <c>https://</c>, a host (a name, an address, <c>*</c> or <c>+</c>), a port from 0 to 65535 and no path, or a Unix
    /// socket (<c>http://unix:/run/glidepath.sock</c>); with <paramref name="barePorts"/> (separate admin or metrics
    /// listeners, where <see cref="ListenEndpoints.Parse"/> reads them) also a bare port. Kestrel's own refusal comes as
    /// a host start-up failure with its stack trace logged; this is one line and exit 2.
    /// </summary>
    public static void CheckUrls(IEnumerable<string> urls, bool barePorts = false)
    {
        ArgumentNullException.ThrowIfNull(urls);
        foreach (var url in urls)
        {
            if (barePorts && int.TryParse(url, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
            {
                continue;
            }

            if (Problem(url) is { } problem)
            {
                throw new BadInputException($"listen URL '{url}' {problem}; expected http://HOST:PORT, e.g. http://127.0.0.1:4000 (port 0 picks a free port)");
            }
        }
    }

    private static string? Problem(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || url[..scheme].ToLowerInvariant() is not ("http" or "https"))
        {
            return "is not an http:// or https:// URL";
        }

        // Kestrel's wildcard hosts are not URI hosts: check the rest with a stand-in.
        var rest = url[(scheme + 3)..];
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            return rest.Length > "unix:".Length ? null : "names no socket path after 'unix:'";
        }

        var hostEnd = rest.IndexOfAny([':', '/']);
        var host = hostEnd < 0 ? rest : rest[..hostEnd];
        if (host.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? rest : rest[..(close + 1)];
        }

        var port = rest[host.Length..];
        if (host.Length == 0)
        {
            return "has no host";
        }

        if (port.StartsWith(':'))
        {
            var slash = port.IndexOf('/', StringComparison.Ordinal);
            var digits = slash < 0 ? port[1..] : port[1..slash];
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
            {
                return $"has port '{digits}', not a number from 0 to 65535";
            }

            port = port[(1 + digits.Length)..];
        }

        if (port.Trim('/').Length > 0)
        {
            return "has a path; Kestrel listens on an address and port only";
        }

        var standIn = host is "*" or "+" ? "localhost" : host;
        return Uri.CheckHostName(standIn.Trim('[', ']')) == UriHostNameType.Unknown ? $"has '{host}', which is not a host name or address" : null;
    }
}
