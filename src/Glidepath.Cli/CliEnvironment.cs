namespace Glidepath.Cli;

/// <summary>The process-level things a command writes to: stdout, stderr and whether stdout is a terminal.</summary>
public sealed record CliEnvironment(TextWriter Stdout, TextWriter Stderr, bool IsTerminal)
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Builds the model client factory for eval and gate runs; tests swap in fakes (default: the real providers).</summary>
    public Func<Manifests.Manifest, Storage.IGlidepathStore, Models.IModelClientFactory>? ModelClients { get; init; }

    /// <summary>
    /// No styling (colour, bold) even on a terminal: the env var NO_COLOR set to any non-empty value (https://no-color.org).
    /// Output is then the plain text a pipe gets.
    /// </summary>
    public bool NoColor { get; init; } = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>Print the stack trace of an unexpected failure (env GLIDEPATH_DEBUG=1); never by default.</summary>
    public bool Debug { get; init; } = Environment.GetEnvironmentVariable(CliFailure.DebugVariable) == "1";

    /// <summary>Checks a release's model spec as its provider will at serve time, before it is registered.</summary>
    public Models.IModelSpecValidator ModelSpecs { get; init; } = Providers.ModelSpecValidator.Instance;

    /// <summary>The stores <c>--store</c> / <c>GLIDEPATH_STORE</c> can name, chosen by scheme (default: SQLite).</summary>
    public Storage.StoreProviders Stores { get; init; } = new Storage.StoreProviders().Add(new Storage.Sqlite.SqliteStoreProvider()).Add(new Storage.Postgres.PostgresStoreProvider());
}
