using Glidepath.Errors;
using Glidepath.Manifests;
using System.Data.Common;

namespace Glidepath.Cli;

/// <summary>
/// The one place where a failed command becomes its documented exit code and a short message: bad input
/// is 2 with <c>file:line:col</c>, operational failures are 3 with one line, and an unexpected exception
/// is 3 with one line (its stack trace, escaped, only when <c>GLIDEPATH_DEBUG=1</c>, and only for exit code 3). Never
/// a raw stack trace.
/// </summary>
internal static class CliFailure
{
    public const string DebugVariable = "GLIDEPATH_DEBUG";

    /// <summary>
    /// Writes the failure to stderr (and a JSON error object to stdout under --format json: on one line when the command
    /// writes JSON Lines, <paramref name="jsonLines"/>) and returns the exit code. <paramref name="store"/>: the store the
    /// command opened, which a store failure's message names.
    /// </summary>
    public static async Task<int> ReportAsync(Exception ex, CliEnvironment env, bool json, string? resume = null, bool jsonLines = false, StoreInUse? store = null)
    {
        var (code, lines) = Describe(ex, store);
        foreach (var line in lines)
        {
            await env.Stderr.WriteLineAsync(Glidepath.Environments.RecordedText.Escaped(line, keepLineBreaks: true)).ConfigureAwait(false);
        }

        // Only for a failure of exit code 3 (operational or unexpected): bad input (2) and a refusal (4) are their
        // message. Escaped as the error line is: the message may be a server's, or a path's, with escape sequences.
        if (env.Debug && code == ExitCodes.Operational)
        {
            await env.Stderr.WriteLineAsync(Glidepath.Environments.RecordedText.Escaped(ex.ToString(), keepLineBreaks: true)).ConfigureAwait(false);
        }

        if (json)
        {
            await env.Stdout.WriteLineAsync(CliOutput.ErrorObject(ex is ManifestException or GlidepathException ? ex.Message : WithoutPrefix(lines[^1]), code, indented: !jsonLines, resume: resume)).ConfigureAwait(false);
        }

        return code;
    }

    /// <summary>A command stopped by Ctrl-C or SIGTERM: one line on stderr, and under --format json an error object like any failure's.</summary>
    public static async Task<int> InterruptedAsync(CliEnvironment env, bool json, string message, string? resume = null, bool jsonLines = false)
    {
        await env.Stderr.WriteLineAsync(message).ConfigureAwait(false);
        if (json)
        {
            await env.Stdout.WriteLineAsync(CliOutput.ErrorObject(message, ExitCodes.Interrupted, indented: !jsonLines, resume: resume)).ConfigureAwait(false);
        }

        return ExitCodes.Interrupted;
    }

    /// <summary>
    /// The one-line message of a failure that is not bad input (a store's or the admin API's), without "error: ": what
    /// a watch prints when a refresh failed and it tries again.
    /// </summary>
    public static string Message(Exception ex, StoreInUse? store) => WithoutPrefix(Describe(ex, store).Lines[^1]);

    private static (int Code, IReadOnlyList<string> Lines) Describe(Exception ex, StoreInUse? store) => ex switch
    {
        ManifestException m => (ExitCodes.Of(m.Kind), [.. m.Errors.Select(e => e.ToString()), $"{m.Errors.Count} problem(s) in the manifest; nothing was written."]),
        GlidepathException g => (ExitCodes.Of(g.Kind), [$"error: {g.Message}"]),
        DbException s => (ExitCodes.Operational, [$"error: {StoreFailed(s, store)}"]),
        IOException or UnauthorizedAccessException => (ExitCodes.Operational, [$"error: {OneLine(ex.Message)}"]),
        _ => (ExitCodes.Operational, [$"error: unexpected {ex.GetType().Name}: {OneLine(ex.Message)} (set {DebugVariable}=1 for the stack trace)"]),
    };

    // Named as the store's open errors name it (a PostgreSQL location without its password), in the store's own words and
    // with the advice for its kind (a PostgreSQL server restarting is not a full disk). A command that opened the store
    // only to read wrote nothing, so it is not told that "nothing more was written".
    private static string StoreFailed(DbException error, StoreInUse? store) => store switch
    {
        null => $"the store failed: {OneLine(error.Message)}",
        { Writes: false } => $"cannot read the store at {store.Store.Location}: {OneLine(store.Store.DescribeFailure(error))}",
        _ => $"the store at {store.Store.Location} failed, and nothing more was written: {OneLine(store.Store.DescribeFailure(error))}",
    };

    // The JSON object's "error" is the message; "error: " is how stderr's line starts.
    private static string WithoutPrefix(string line) => line.StartsWith("error: ", StringComparison.Ordinal) ? line["error: ".Length..] : line;

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
