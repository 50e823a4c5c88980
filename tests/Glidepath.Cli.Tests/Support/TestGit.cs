using System.Diagnostics;

namespace Glidepath.Cli.Tests.Support;

/// <summary>git for the tests: a command in a folder as a fixed author, and the sample app committed in a new repository.</summary>
internal static class TestGit
{
    /// <summary>Runs git in <paramref name="dir"/> as "Tess Ter"; a non-zero exit fails the test with git's message.</summary>
    public static void Run(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("git") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "user.name=Tess Ter", "-c", "user.email=t@example.com" }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr.GetAwaiter().GetResult());
    }

    /// <summary>The sample app in a new repository, committed once with <paramref name="gitignore"/> as its .gitignore (null: none, as an app set up by hand).</summary>
    public static TempDir SampleRepo(string? gitignore)
    {
        var dir = TempDir.WithSample();
        Run(dir.Path, "init", "-q");
        if (gitignore is not null)
        {
            File.WriteAllText(dir.File(".gitignore"), gitignore);
        }

        Run(dir.Path, "add", "-A");
        Run(dir.Path, "commit", "-qm", "sample");
        return dir;
    }
}
