namespace Glidepath.Manifests;

/// <summary>A parsed and validated <c>glidepath.yaml</c>: one app and everything Glidepath needs to ship it.</summary>
public sealed record Manifest
{
    public required string App { get; init; }
    public required ReleaseSpec Release { get; init; }
    public IReadOnlyDictionary<string, ProviderSettings> Providers { get; init; } = new Dictionary<string, ProviderSettings>();
    public IReadOnlyDictionary<string, ModelPrice> Prices { get; init; } = new Dictionary<string, ModelPrice>();
    public EvalConfig? Eval { get; init; }
    public IReadOnlyList<EnvironmentSpec> Environments { get; init; } = [];
    public RolloutPlan? Rollout { get; init; }
    public OnlineConfig? Online { get; init; }
    public CaptureConfig Capture { get; init; } = new();

    /// <summary>How shadow pairs are judged beyond the rollout plan (a pairwise LLM judge); null: the plan's metrics only.</summary>
    public ShadowConfig? Shadow { get; init; }

    /// <summary>How long traces are kept (<c>traces.retention</c>).</summary>
    public TracesConfig Traces { get; init; } = new();

    /// <summary>Absolute path of the manifest file (empty when built from a git revision).</summary>
    public string FilePath { get; init; } = "";

    /// <summary>Folder that relative paths in the manifest are resolved against.</summary>
    public string BaseDirectory { get; init; } = "";

    public EnvironmentSpec? FindEnvironment(string name) =>
        Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));
}
