namespace Glidepath.Files;

/// <summary>Files of the working tree under the manifest's folder.</summary>
public sealed class WorkingTreeFileSource(string root) : IFileSource
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { ".git", ".glidepath", "bin", "obj", "node_modules" };

    public string Root { get; } = Path.GetFullPath(root);

    public string Origin => Root;

    public bool Exists(string relativePath) => IsInside(relativePath) && File.Exists(Full(relativePath));

    public byte[] ReadAllBytes(string relativePath)
    {
        if (!IsInside(relativePath))
        {
            throw new FileNotFoundException($"'{relativePath}' is outside the manifest's folder");
        }

        return File.ReadAllBytes(Full(relativePath));
    }

    public IReadOnlyList<string> ListFiles()
    {
        var result = new List<string>();
        Walk(Root, result);
        result.Sort(StringComparer.Ordinal);
        return result;
    }

    private void Walk(string dir, List<string> result)
    {
        foreach (var file in Directory.EnumerateFiles(dir))
        {
            result.Add(Path.GetRelativePath(Root, file).Replace('\\', '/'));
        }

        foreach (var sub in Directory.EnumerateDirectories(dir))
        {
            if (!SkippedFolders.Contains(Path.GetFileName(sub)))
            {
                Walk(sub, result);
            }
        }
    }

    private string Full(string relativePath) => Path.GetFullPath(Path.Combine(Root, relativePath));

    private bool IsInside(string relativePath)
    {
        var full = Full(relativePath);
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
