namespace Glidepath.Files;

/// <summary>Where a release's files come from: the working tree or a git revision. Paths are relative, '/'-separated.</summary>
public interface IFileSource
{
    /// <summary>Human-readable origin, e.g. the folder or <c>git:abc123</c>.</summary>
    string Origin { get; }

    bool Exists(string relativePath);

    /// <summary>Whether <paramref name="relativePath"/> names a folder (for a message: "is a folder", not "does not exist").</summary>
    bool IsFolder(string relativePath) => false;

    byte[] ReadAllBytes(string relativePath);

    /// <summary>Every file under the source's root, relative and '/'-separated, in ordinal order.</summary>
    IReadOnlyList<string> ListFiles();
}
