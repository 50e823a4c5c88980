using Glidepath.Gateway.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glidepath.Gateway.Tests.Hosting;

/// <summary>
/// The gateway's and dashboard's host read no settings from the directory they run in and watch no file: the default
/// watched the working directory, where the store's SQLite files are written, and read any appsettings.json there.
/// </summary>
public sealed class GlidepathHostTests
{
    [Fact]
    public void CreateSlim_ContentRootIsTheInstallDirectory_AndNoConfigurationFileIsWatched()
    {
        var builder = GlidepathHost.CreateSlim();

        Assert.Equal(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory), Path.TrimEndingDirectorySeparator(builder.Environment.ContentRootPath));
        var files = ((IConfigurationBuilder)builder.Configuration).Sources.OfType<JsonConfigurationSource>().ToList();
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.False(f.ReloadOnChange, $"{f.Path} is watched"));
    }

    // Newcomer trial L4: serve printed "Hosting environment: Production" while serving staging, and "Content root path".
    [Fact]
    public async Task CreateSlim_AtInformationLevel_HostLifetimeInfoLinesAreOffButItsWarningsStay()
    {
        var builder = GlidepathHost.CreateSlim();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        await using var app = builder.Build();

        var lifetime = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.Hosting.Lifetime");
        Assert.False(lifetime.IsEnabled(LogLevel.Information));
        Assert.True(lifetime.IsEnabled(LogLevel.Warning));
        Assert.True(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Glidepath").IsEnabled(LogLevel.Information));
    }
}
