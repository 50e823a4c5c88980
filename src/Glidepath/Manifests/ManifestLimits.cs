namespace Glidepath.Manifests;

/// <summary>
/// Resource limits on YAML read by Glidepath (the manifest, imported suites), so a small hostile file
/// cannot exhaust memory, time or the stack. Documented in docs/security.md and docs/manifest.md.
/// </summary>
public static class ManifestLimits
{
    /// <summary>Largest manifest file accepted, in bytes (1 MiB).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Deepest nesting of mappings and lists, counted from the document root.</summary>
    public const int MaxDepth = 32;

    /// <summary>Most YAML nodes in a document after every alias is expanded (defeats "billion laughs").</summary>
    public const long MaxNodes = 100_000;
}
