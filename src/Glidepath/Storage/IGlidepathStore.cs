namespace Glidepath.Storage;

/// <summary>
/// Everything Glidepath persists. SQLite by default, PostgreSQL when state is shared; dialect
/// details stay inside the storage projects.
/// </summary>
public interface IGlidepathStore : IStoreIdentitySource, IStoreFailures, IAsyncDisposable
{
    IReleaseStore Releases { get; }

    IEnvironmentStore Environments { get; }

    IGateVerdictStore GateVerdicts { get; }

    ITraceStore Traces { get; }

    /// <summary>Model responses cached for evals (<c>--no-cache</c> bypasses it).</summary>
    IResponseCacheStore ResponseCache { get; }

    IEvalRunStore EvalRuns { get; }

    IRolloutStore Rollouts { get; }

    /// <summary>Drift alerts and observed environment configurations.</summary>
    IMonitorStore Monitor { get; }

    /// <summary>Callers' keys to the gateway, kept as keyed hashes.</summary>
    IApiKeyStore ApiKeys { get; }

    /// <summary>Access tokens to the admin API, kept as keyed hashes.</summary>
    IAccessTokenStore AccessTokens { get; }

    /// <summary>Shadow pairs: a candidate's answers beside stable's on the same inputs.</summary>
    IShadowStore Shadows { get; }

    /// <summary>Dashboard sessions signed out before they expired.</summary>
    ISignOutStore SignOuts { get; }
}
