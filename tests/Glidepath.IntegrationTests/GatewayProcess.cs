using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Glidepath.IntegrationTests;

/// <summary>
/// A real <c>glidepath serve</c> process (the built CLI under <c>dotnet</c>) on a free port of 127.0.0.1. Its output is
/// drained and kept for messages; <see cref="Kill"/> is SIGKILL (<c>kill -9</c>): no shutdown hook runs.
/// </summary>
internal sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private GatewayProcess(Process process) => _process = process;

    public string Url { get; private set; } = "";

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote so far, for assertion messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>What the process said about rollouts and the store (not its per-request lines).</summary>
    public string ControllerLines => string.Join('\n', _output.Where(l => l.Contains("rollout", StringComparison.OrdinalIgnoreCase) || l.Contains("store", StringComparison.OrdinalIgnoreCase)));

    public static Task<GatewayProcess> StartAsync(string manifest, string store, string environment, params string[] extra) =>
        StartAsync(manifest, store, environment, new Dictionary<string, string>(), extra);

    /// <param name="variables">Environment variables to set for the process (on top of the test's own).</param>
    public static async Task<GatewayProcess> StartAsync(string manifest, string store, string environment, IReadOnlyDictionary<string, string> variables, params string[] extra)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[CliDllPath(), "serve", "--manifest", manifest, "--store", store,
                     "--env", environment, "--urls", "http://127.0.0.1:0", .. extra])
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment.Remove("DOTNET_TieredPGO"); // as a user starts it: serve turns PGO on itself (PgoRestart)
        psi.Environment[Glidepath.Providers.SimProcessSalt.VariableName] = "integration-tests"; // the sim's draws as in every run (a variable below may change it)
        foreach (var (name, value) in variables)
        {
            psi.Environment[name] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var gateway = new GatewayProcess(process);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            gateway._output.Enqueue(line);
            if (ServingLine().Match(line) is { Success: true } m)
            {
                listening.TrySetResult(m.Groups[1].Value);
            }
        }

        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"glidepath serve exited {process.ExitCode} before listening:\n{gateway.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            // A guard against a hang (a build that never starts), not a timing assertion.
            gateway.Url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }

        return gateway;
    }

    // The CLI's own build output (its deps.json and runtimeconfig.json), in the configuration the tests were built in:
    // the copy beside the tests lacks the assemblies the ASP.NET Core host brings.
    internal static string CliDllPath()
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(SampleApp.RepoRoot(), "src", "Glidepath.Cli", "bin", tfm.Parent!.Name, tfm.Name, "Glidepath.Cli.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"no {dll}; build the solution first");
    }

    /// <summary>SIGKILL, like <c>kill -9</c>: the process gets no chance to give up its lease or flush its traces.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"^Serving \S+ on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ServingLine();
}
