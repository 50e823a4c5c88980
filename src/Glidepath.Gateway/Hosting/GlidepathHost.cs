using Microsoft.AspNetCore.Builder;

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
    public static WebApplicationBuilder CreateSlim() => WebApplication.CreateSlimBuilder(new WebApplicationOptions
    {
        ContentRootPath = AppContext.BaseDirectory,
        Args = ["--hostBuilder:reloadConfigOnChange=false"],
    });
}
