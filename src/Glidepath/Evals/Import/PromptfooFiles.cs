using Glidepath.Errors;

namespace Glidepath.Evals.Import;

/// <summary>
/// Resolves the <c>file://</c> references of a promptfoo config: relative to the config's folder, never outside it.
/// Reading goes through a delegate so the importer stays free of I/O.
/// </summary>
public sealed class PromptfooFiles
{
    private readonly string _folder;
    private readonly Func<string, string?> _read;
    private readonly Func<string, string?> _real;

    /// <param name="configPath">The config file; references are relative to its folder.</param>
    /// <param name="read">Reads a full path as text, or returns null when there is no such file.</param>
    /// <param name="real">The path with every symbolic link along it resolved (null for a link loop); the path itself when omitted (no links).</param>
    public PromptfooFiles(string configPath, Func<string, string?> read, Func<string, string?>? real = null)
    {
        _folder = Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? Path.GetFullPath(".");
        _read = read;
        _real = real ?? (p => p);
    }

    /// <summary>Reads the files of <paramref name="configPath"/>'s folder from disk, following a symbolic link only to a file inside it.</summary>
    public static PromptfooFiles OnDisk(string configPath) =>
        new(configPath, Read, Files.RealPath.Resolve);

    /// <summary>A config's or a referenced file's text (a byte-order mark dropped), read only up to a release's limit: a pipe or a device reports no size. Null when there is no such file.</summary>
    public static string? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var bytes = Files.BoundedFile.ReadAllBytes(path, Releases.ReleaseBuilder.MaxBytes)
            ?? throw new BadInputException($"{path} is larger than {Releases.ReleaseBuilder.MaxBytes / (1024 * 1024)} MiB; expected a test file or a variable's text");
        var bom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        return System.Text.Encoding.UTF8.GetString(bytes, bom, bytes.Length - bom);
    }

    /// <summary>Whether a value is a <c>file://</c> reference.</summary>
    public static bool IsReference(string? value) => value?.StartsWith("file://", StringComparison.Ordinal) == true;

    /// <summary>The text of a referenced file; a path outside the config's folder or a missing file is an error at <paramref name="where"/>.</summary>
    /// <param name="reference">The reference as written, <c>file://path</c>.</param>
    /// <param name="where">The file that holds the reference and its text, to name the line in errors.</param>
    public string Read(string reference, PromptfooSource where)
    {
        var relative = reference["file://".Length..];
        var full = Path.GetFullPath(Path.Combine(_folder, relative));
        var inside = _folder.EndsWith(Path.DirectorySeparatorChar) ? _folder : _folder + Path.DirectorySeparatorChar;
        if (!full.StartsWith(inside, StringComparison.Ordinal))
        {
            throw new BadInputException($"{where.At(reference)}: {reference} is outside the config's folder {_folder}; copy the file next to the config");
        }

        // A link inside the folder may point out of it (git keeps links): the same real-path rule as a release's files.
        if (_real(full) is not { } real || !Files.RealPath.IsInside(real, _real(_folder) ?? _folder))
        {
            throw new BadInputException($"{where.At(reference)}: {reference} is a symbolic link that leads outside the config's folder {_folder}; copy the file next to the config");
        }

        // The resolved path is read, not the link: a link swapped between the check and the read is not followed.
        return _read(real) ?? throw new BadInputException($"{where.At(reference)}: {reference}: no such file ({full}); expected a path relative to the config's folder");
    }
}
