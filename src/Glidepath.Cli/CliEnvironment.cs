namespace Glidepath.Cli;

/// <summary>The process-level things a command writes to: stdout, stderr and whether stdout is a terminal.</summary>
public sealed record CliEnvironment(TextWriter Stdout, TextWriter Stderr, bool IsTerminal)
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Builds the model client factory for eval and gate runs; tests swap in fakes (default: the real providers).</summary>
    public Func<Manifests.Manifest, Storage.IGlidepathStore, Models.IModelClientFactory>? ModelClients { get; init; }
}
