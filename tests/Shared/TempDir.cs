namespace Glidepath.Testing;

/// <summary>A temporary folder deleted at dispose; optionally seeded with a copy of the sample app.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "glidepath-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public static TempDir WithSample()
    {
        var dir = new TempDir();
        CopySample(dir.Path);
        return dir;
    }

    /// <summary>Copies the sample app (samples/support-agent, without its .glidepath store) into <paramref name="to"/>.</summary>
    public static void CopySample(string to) => Copy(System.IO.Path.Combine(RepoRoot(), "samples", "support-agent"), to);

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>A named pipe (FIFO) at <paramref name="relative"/> that no process writes or reads (made with mkfifo); its path.</summary>
    public string Fifo(string relative)
    {
        var path = File(relative);
        using var mkfifo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        return mkfifo.ExitCode == 0 ? path : throw new InvalidOperationException($"mkfifo {path} exited {mkfifo.ExitCode}");
    }

    public void Write(string relative, string content)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(File(relative))!);
        System.IO.File.WriteAllText(File(relative), content);
    }

    public string Read(string relative) => System.IO.File.ReadAllText(File(relative));

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Glidepath.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root (Glidepath.slnx) not found");
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = System.IO.Path.GetRelativePath(from, file);
            if (rel.StartsWith(".glidepath", StringComparison.Ordinal))
            {
                continue;
            }

            var dest = System.IO.Path.Combine(to, rel);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(dest)!);
            System.IO.File.Copy(file, dest);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
