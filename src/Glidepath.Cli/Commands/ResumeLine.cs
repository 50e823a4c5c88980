using System.CommandLine;
using Glidepath.Evals.Runs;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary>
/// The command that continues a run, for a POSIX shell. A run records its release, dataset, trials, tags and cache
/// choice, so the resume takes those from the run; what it does not record is repeated from the command that started
/// it: <c>--env</c>, every <c>--var</c> (without them the rest of the run stopped again on "template variable … is not
/// set"), and the <c>--manifest</c> and <c>--store</c> the run was found through. <c>--no-cache</c> is written for a run
/// started with it, so the line says how the rest is asked. Var values are printed: they are prompt text, which the
/// manifest holds in plain view and every model call sends, not secrets (keys are named by <c>api_key_env</c>). A
/// <c>--store</c> that is not a file path (a URL or connection string, which may hold a password) is left out, never printed.
/// </summary>
internal sealed record ResumeLine(string Command, string? Environment, IReadOnlyList<string> Vars, string? Manifest, string? Store)
{
    /// <param name="command">The command that resumes the run, e.g. <c>glidepath gate</c>.</param>
    public static ResumeLine From(string command, ParseResult parse, EvalOptions options) => new(
        command, parse.GetValue(options.Environment), parse.GetValue(options.Vars) ?? [], parse.GetValue(GlobalOptions.Manifest), parse.GetValue(GlobalOptions.Store));

    /// <summary>
    /// True when <c>--store</c> was given as anything but a file path (a URL or a connection string, which may carry a
    /// password in a form no redaction knows: <c>SslPassword=</c>, <c>?sslpassword=</c>, …), so the line leaves it out.
    /// </summary>
    public bool StoreLeftOut => Store is not null
        && (Store.Contains("://", StringComparison.Ordinal) || Store.Contains('=', StringComparison.Ordinal) || StoreProviders.Redacted(Store) != Store);

    public string For(EvalRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var words = new List<string> { "--resume", run.Id };
        if (!run.UseCache)
        {
            words.Add("--no-cache");
        }

        if (Environment is not null)
        {
            words.AddRange(["--env", Environment]);
        }

        foreach (var v in Vars)
        {
            words.AddRange(["--var", v]);
        }

        if (Manifest is not null)
        {
            words.AddRange(["--manifest", Manifest]);
        }

        if (Store is not null && !StoreLeftOut)
        {
            words.AddRange(["--store", Store]);
        }

        return Command + " " + string.Join(' ', words.Select(PosixShell.Quote));
    }
}
