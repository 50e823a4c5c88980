namespace Glidepath.Manifests;

/// <summary>One problem found in a manifest or a file it names, located by file, line and column.</summary>
public sealed record ManifestError(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
