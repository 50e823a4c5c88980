using Glidepath.Gateway.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary>
/// ASP.NET Core starts an Activity for every request while its hosting-diagnostics logger is on at any level (to give
/// its log lines a scope), and the provider client, seeing a current Activity, starts another for every upstream call.
/// The gateway logs its own line per request, so that category is off: no activity per request unless OpenTelemetry
/// listens (its listener still has hosting start the span).
/// </summary>
public sealed class PerRequestActivityTests
{
    [Theory]
    [InlineData("text", LogLevel.Information)]
    [InlineData("json", LogLevel.Warning)]
    [InlineData("text", LogLevel.Trace)]
    public async Task HostingDiagnostics_Off_FrameworkWarningsStillLogged(string format, LogLevel level)
    {
        await using var f = await GatewayFixture.CreateAsync();
        await f.StartAsync(server: s => s with { LogFormat = format, LogLevel = level });
        var loggers = f.Server!.Services.GetRequiredService<ILoggerFactory>();

        // What HostingApplicationDiagnostics asks before it starts a request's Activity for its logs.
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning), "the server's own errors are still logged");
        // The host's start-up lines repeat the command's banner (or name ASP.NET's environment): only its warnings show.
        Assert.True(loggers.CreateLogger("Microsoft.Hosting.Lifetime").IsEnabled(level < LogLevel.Warning ? LogLevel.Warning : level), "the host's warnings are still logged");
        Assert.False(loggers.CreateLogger("Microsoft.Hosting.Lifetime").IsEnabled(LogLevel.Information), "the host's start-up lines are not");
    }
}
