using System.CommandLine;

namespace Glidepath.Cli;

/// <summary>Options every command accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string?> Manifest = new("--manifest")
    {
        Description = "Path to glidepath.yaml (default: found in the current folder or above, like git)",
        Recursive = true,
    };

    public static readonly Option<string?> Store = new("--store")
    {
        Description = "Store location: a SQLite file path (default: .glidepath/glidepath.db beside the manifest; env GLIDEPATH_STORE) or postgres://user@host/db; give the password in PGPASSWORD or GLIDEPATH_STORE, not on the command line, where the process list shows it",
        Recursive = true,
    };

    public static readonly Option<string?> Server = new("--server")
    {
        Description = "Talk to this admin API (e.g. https://glidepath.internal:4001) instead of opening the store (env GLIDEPATH_SERVER); status, history, promote, rollback, freeze, unfreeze, rollout, shadow, keys, tokens, traces list and monitor (not --check)",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "The access token (gpt_…) or OIDC token for --server; prefer the env var GLIDEPATH_TOKEN, which stays out of the process list and shell history",
        Recursive = true,
    };

    public static readonly Option<string> Format = CreateFormat();

    private static Option<string> CreateFormat()
    {
        var option = new Option<string>("--format")
        {
            Description = "Output format: text (tables on a terminal) or json (machine-readable, on stdout)",
            Recursive = true,
            DefaultValueFactory = _ => "text",
        };
        option.AcceptOnlyFromAmong("text", "json");
        return option;
    }
}
