using System.Text;
using Glidepath.Errors;

namespace Glidepath.Cli;

/// <summary>
/// A file a command writes its result to (<c>gate --report</c>, <c>evalset import --out</c>). <see cref="Check"/> runs
/// before the work, so a path that cannot be written is exit 2 at once, not after a run whose model calls were paid
/// for; <see cref="WriteAsync"/> writes the whole text to a temporary file beside it and moves it into place, so a crash
/// never leaves half a report over the last good one. A missing folder is created, as <c>mkdir -p</c> would. A device or
/// stream named outright (<c>/dev/stdout</c>, <c>/dev/null</c>, <c>/dev/fd/63</c>) is written in place. A link is refused,
/// not followed, and so is a path through a linked folder inside the checkout, wherever the path is spelled from
/// (<see cref="OutputLinks"/>): checked before the work and again just before the write.
/// </summary>
internal sealed class OutputFile
{
    private OutputFile(string path, string full, bool direct, string option = "", string checkout = "")
    {
        Path = path;
        Full = full;
        Direct = direct;
        Option = option;
        Checkout = checkout;
    }

    /// <summary>The path as the user gave it (for messages).</summary>
    public string Path { get; }

    private string Full { get; }

    // A device or a stream rather than a file (/dev/stdout, /dev/null, a process substitution's /dev/fd/63): written in
    // place, never replaced by a file moved over it.
    private bool Direct { get; }

    private string Folder => System.IO.Path.GetDirectoryName(Full)!;

    private string Option { get; }

    private string Checkout { get; }

    /// <summary>Checks that <paramref name="path"/> (given with <paramref name="option"/>) names a file that can be written: its folder exists or can be made, and it is not a folder.</summary>
    public static OutputFile Check(string path, string option)
    {
        var here = OutputLinks.CurrentFolder(Environment.GetEnvironmentVariable("PWD"), Directory.GetCurrentDirectory());
        return Check(path, option, OutputLinks.Checkout(here), here);
    }

    /// <param name="checkout">The folder whose linked subfolders are refused: the git work tree around the current folder, else the current folder (a test's app folder).</param>
    /// <param name="here">The current folder a relative <paramref name="path"/> is taken from, as the shell spelled it (<see cref="OutputLinks.CurrentFolder"/>); null: the process's own.</param>
    internal static OutputFile Check(string path, string option, string checkout, string? here = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "-")
        {
            // Many tools read '-' as stdout; written as a path it made a file named '-' in the checkout (which then marked
            // every 'working' registration dirty). Refused in every mode, so it never means two things.
            throw new BadInputException($"{option} '-': a dash is not read as stdout here, and a file named '-' is not written; name a file, or /dev/stdout to write to stdout (not under --format json, where stdout carries the JSON document)");
        }

        string full;
        try
        {
            full = here is null ? System.IO.Path.GetFullPath(path) : System.IO.Path.GetFullPath(path, here);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new BadInputException($"{option} '{path}': not a usable file path ({ex.Message})", ex);
        }

        if (path.Length == 0 || Directory.Exists(full) || path.EndsWith('/') || path.EndsWith(System.IO.Path.DirectorySeparatorChar))
        {
            throw new BadInputException($"{option} '{path}': is a folder; expected the path of a file to write");
        }

        // A device or stream is written in place, by the path given (opening it follows its links, /dev/stdout's too).
        if (IsStream(full))
        {
            return new OutputFile(path, full, direct: true, option);
        }

        // A link is not followed: in a checkout it is the pull request's to point anywhere. (The write below moves a
        // new file over the path, which replaces a link made after this check rather than writing through it.)
        OutputLinks.Refuse(path, full, option, checkout);

        var file = new OutputFile(path, full, direct: false, option, checkout);
        try
        {
            Directory.CreateDirectory(file.Folder);

            // Probe the folder the way the write will use it: a temporary file created there and deleted again.
            using (new FileStream(file.TemporaryPath(), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            if (File.Exists(full))
            {
                // Without waiting: a FIFO there that no process reads would block a plain open for ever.
                Glidepath.Files.BoundedFile.ProbeWrite(full);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{option} '{path}': cannot write there ({ex.Message})", ex);
        }

        return file;
    }

    /// <summary>
    /// Refuses (exit 2) a file that is this process's stdout when stdout carries the command's JSON document
    /// (<paramref name="json"/>): the report and the document would share it, or the document would overwrite the report.
    /// </summary>
    public void RefuseStdout(bool json)
    {
        if (json && NamesStdout(Path, Full))
        {
            throw new BadInputException($"{Option} '{Path}' is stdout, which carries the JSON document under --format json; name a file instead, or leave out --format json");
        }
    }

    /// <summary>
    /// '-', stdout named outright (<c>/dev/stdout</c>, <c>/dev/fd/1</c>, <c>/proc/self/fd/1</c>, this process's own
    /// <c>/proc/PID/fd/1</c>), or the file stdout is redirected to (<c>--report gate.json &gt; gate.json</c>).
    /// </summary>
    internal static bool NamesStdout(string path, string full)
    {
        if (path == "-")
        {
            return true;
        }

        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        if (full is "/dev/stdout" or "/dev/fd/1" or "/proc/self/fd/1" or "/proc/thread-self/fd/1" || full == $"/proc/{Environment.ProcessId}/fd/1")
        {
            return true;
        }

        try
        {
            // The kernel names stdout's file by its real path: compare with ours resolved too (a folder on the way may be a link).
            return new FileInfo("/proc/self/fd/1").LinkTarget is { } target
                   && (target == full || System.IO.Path.GetDirectoryName(full) is { } folder
                       && target == System.IO.Path.Join(OutputLinks.RealPath(folder), System.IO.Path.GetFileName(full)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // no /proc to ask: the names above are what can be told
        }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte-order mark) in place of whatever the file held, all or nothing.</summary>
    public async Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        if (Direct)
        {
            try
            {
                await File.WriteAllTextAsync(Full, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OperationalException($"cannot write {Path}: {ex.Message}", ex);
            }
        }

        // Checked again just before the write: the run between the check and now (a gate's model calls) is long, and
        // the folders are looked up again by the write.
        OutputLinks.Refuse(Path, Full, Option, Checkout);
        var temporary = TemporaryPath();
        try
        {
            await File.WriteAllTextAsync(temporary, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, Full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new OperationalException($"cannot write {Path}: {ex.Message}", ex);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    internal static bool IsStream(string full) => OutputLinks.IsStream(full);

    private string TemporaryPath() => System.IO.Path.Combine(Folder, $".{Truncated(System.IO.Path.GetFileName(Full))}.{Guid.NewGuid():N}.tmp");

    // A file name near the 255-byte limit must still leave room for the temporary name's suffix.
    private static string Truncated(string name) => name.Length > 150 ? name[..150] : name;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind: a hidden .tmp file beside the output, named as such.
        }
    }
}
