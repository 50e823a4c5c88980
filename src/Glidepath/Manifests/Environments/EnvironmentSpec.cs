namespace Glidepath.Manifests;

/// <summary>A deployment target declared in the manifest: provider overrides, vars, promotion path and owner.</summary>
public sealed record EnvironmentSpec
{
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, ProviderSettings> Providers { get; init; } = new Dictionary<string, ProviderSettings>();
    public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();

    /// <summary>The manifest line of each of <see cref="Vars"/>' values, for a note about one; empty for a spec not read from a file.</summary>
    public IReadOnlyDictionary<string, int> VarLines { get; init; } = new Dictionary<string, int>();

    /// <summary>
    /// The template variables a caller may set per request (<c>Glidepath-Var-NAME</c> headers) in this environment;
    /// any other is refused. Empty: callers set none.
    /// </summary>
    public IReadOnlyList<string> RequestVars { get; init; } = [];

    /// <summary>
    /// Whether this environment's gateway tells every caller which release and arm answered (<c>Glidepath-Release</c>,
    /// <c>Glidepath-Arm</c>). Off by default: a caller who learns its subjects' arms can aim requests the provider rejects
    /// at one arm and move the canary judge (docs/security.md). The admin-only route probe answers them either way.
    /// </summary>
    public bool RoutingHeaders { get; init; }
    public IReadOnlyList<string> Requires { get; init; } = [];
    public string? Owner { get; init; }
}
