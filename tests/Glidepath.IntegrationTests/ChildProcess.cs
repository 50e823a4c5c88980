using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Glidepath.IntegrationTests;

/// <summary>
/// A process this test started (<c>dotnet some.dll …</c>): its output is collected as it comes, a test waits for a line
/// with a generous timeout, and dispose kills it (and only it) if it is still running.
/// </summary>
internal sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _lock = new();

    private ChildProcess(Process process) => _process = process;

    public string Name { get; private init; } = "";

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/></c> in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string name, string dll, string workingDirectory, params string[] args)
    {
        Assert.True(File.Exists(dll), $"{dll} is not built");
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["GLIDEPATH_STORE"] = null;
        var child = new ChildProcess(new Process { StartInfo = psi, EnableRaisingEvents = true }) { Name = name };
        child._process.OutputDataReceived += (_, e) => child.Append(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) for an output line matching <paramref name="pattern"/>; returns the match.</summary>
    public async Task<Match> WaitForAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (pattern.Match(Output) is { Success: true } match)
            {
                return match;
            }

            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(); // the output is complete
                Assert.Fail($"{Name} exited ({_process.ExitCode}) before printing /{pattern}/:\n{Output}");
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"{Name} did not print /{pattern}/ within {timeout.TotalSeconds} s:\n{Output}");
    }

    /// <summary>For an ASP.NET Core app started with <c>--urls http://127.0.0.1:0</c>: the address it listens on.</summary>
    public async Task<string> ListeningUrlAsync() =>
        (await WaitForAsync(ListeningOn(), TimeSpan.FromSeconds(60))).Groups[1].Value;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
