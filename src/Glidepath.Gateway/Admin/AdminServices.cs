using Glidepath.Access;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Keys;
using Glidepath.Monitoring;
using Glidepath.Releases;
using Glidepath.Rollouts;
using Glidepath.Storage;

namespace Glidepath.Gateway.Admin;

/// <summary>The core's use-case services the admin endpoints call, built once over the host's store and manifest: the same ones the CLI builds per command.</summary>
internal sealed class AdminServices : IDisposable
{
    // For resends to GLIDEPATH_ALERT_WEBHOOK: the timeout the drift check's and the CLI's webhook clients have.
    private readonly Lazy<HttpClient> _webhookHttp = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(10) });

    public AdminServices(AdminOptions options)
    {
        Options = options;
        var store = options.Store;
        Environments = new EnvironmentService(options.Manifest, store.Environments, store.GateVerdicts, store.Releases, store.Shadows, options.Time);
        Rollouts = new RolloutService(options.Manifest, Environments, store.Environments, store.Rollouts, store.Traces, options.Time);
        Shadows = new Glidepath.Shadow.ShadowService(options.Manifest, Environments, store.Environments, store.Shadows, options.Time);
        Keys = new ApiKeyService(store.ApiKeys, store, options.Time);
        Tokens = new AccessTokenService(store.AccessTokens, store, options.Time);
        Resolver = new ReleaseResolver(options.Manifest, store, options.Time)
        {
            EnvironmentStable = EnvironmentRefs.StableLookup(store, options.Manifest.App),
            Models = Providers.ModelSpecValidator.Instance,
        };
    }

    public AdminOptions Options { get; }
    private Glidepath.Models.PriceTable? _prices;

    public string App => Options.Manifest.App;

    /// <summary>The manifest's prices (trace views show a cost recorded for an unpriced model as unknown).</summary>
    public Glidepath.Models.PriceTable Prices => _prices ??= Glidepath.Models.PriceTable.For(Options.Manifest);
    public IGlidepathStore Store => Options.Store;
    public EnvironmentService Environments { get; }
    public RolloutService Rollouts { get; }
    public Glidepath.Shadow.ShadowService Shadows { get; }
    public ApiKeyService Keys { get; }
    public AccessTokenService Tokens { get; }
    public ReleaseResolver Resolver { get; }

    /// <summary>
    /// A registered release by <c>vN</c>, hash prefix or <c>env:NAME</c>. <c>working</c> and <c>git:</c> name the server's own
    /// files, which an API caller has not seen: they are refused, as is anything not registered. <c>env:NAME</c> reads
    /// NAME's state, so <paramref name="caller"/> needs the viewer role there, as every read of an environment does.
    /// </summary>
    public async Task<Release> RegisteredAsync(string? reference, string field, Principal caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (string.IsNullOrWhiteSpace(reference))
        {
            throw new BadInputException($"'{field}' is required: a registered release (v7, a hash prefix, env:NAME)");
        }

        var trimmed = reference.Trim();
        if (trimmed == "working" || trimmed.StartsWith("git:", StringComparison.Ordinal))
        {
            throw new BadInputException($"'{field}': '{trimmed}' names files on the server; the admin API takes registered releases only (v7, a hash prefix, env:NAME) — register it with 'glidepath release create' first");
        }

        if (trimmed.StartsWith("env:", StringComparison.Ordinal) && !caller.Allows(trimmed[4..], Role.Viewer))
        {
            throw new PolicyException($"'{field}': {caller.Actor} may not read '{trimmed}': it needs the viewer role in '{trimmed[4..]}'");
        }

        var release = await Resolver.ResolveAsync(trimmed, register: false, cancellationToken).ConfigureAwait(false);
        if (release.Version == 0)
        {
            throw new BadInputException($"'{field}': '{trimmed}' is not a registered release of '{App}'");
        }

        return release;
    }

    /// <summary>
    /// What a resend posts with: <see cref="AdminOptions.AlertNotifier"/>, else the webhook in this process's
    /// GLIDEPATH_ALERT_WEBHOOK. Without one the resend is refused (409), naming the variable and where it is read: the
    /// server's environment, which the caller may not know is not their own.
    /// </summary>
    public AlertDelivery ResendDelivery(string environment, string alertId)
    {
        if (Options.AlertNotifier is { } given)
        {
            return new AlertDelivery(Store.Monitor, Store.Releases, given, Options.Time);
        }

        string problem;
        try
        {
            if (WebhookNotifier.FromEnvironment(_webhookHttp.Value) is { } webhook)
            {
                return new AlertDelivery(Store.Monitor, Store.Releases, webhook, Options.Time);
            }

            problem = "is not set";
        }
        catch (BadInputException)
        {
            problem = "is not an http(s) URL";
        }

        throw new PolicyException(
            $"this server has no alert webhook to post drift alert {alertId} to: {WebhookNotifier.EnvironmentVariable} {problem} in the environment the gateway runs in (the server's, not yours); " +
            $"set it there to the receiver's http(s) URL and restart the gateway, or resend where the store is: glidepath monitor --env {environment} --resend {alertId}");
    }

    /// <summary>Views naming release ids from the app's registered releases.</summary>
    public async Task<EnvironmentViews> ViewsAsync(CancellationToken cancellationToken) =>
        new(await Store.Releases.ListAsync(App, cancellationToken).ConfigureAwait(false));

    public void Dispose()
    {
        if (_webhookHttp.IsValueCreated)
        {
            _webhookHttp.Value.Dispose();
        }
    }
}
