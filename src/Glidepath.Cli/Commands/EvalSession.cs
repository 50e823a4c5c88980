using System.CommandLine;
using Glidepath.Evals.Runs;
using Glidepath.Models;
using Glidepath.Providers;
using Glidepath.Storage;

namespace Glidepath.Cli.Commands;

/// <summary>
/// How <c>eval run</c> and <c>gate</c> compose the eval service: the manifest's eval setup, the store, the model clients and
/// the release resolver. Disposed with <c>await using</c>, so the lease of a run the command made or resumed is given up
/// however the command ends.
/// </summary>
internal sealed class EvalSession : IAsyncDisposable
{
    private readonly IDisposable? _ownedClients;

    private EvalSession(IGlidepathStore store, EvalService evals, IDisposable? ownedClients)
    {
        Store = store;
        Evals = evals;
        _ownedClients = ownedClients;
    }

    public IGlidepathStore Store { get; }

    public EvalService Evals { get; }

    /// <summary>Checks the eval setup (before the store is opened: an empty eval.scorers is refused there), then builds the service.</summary>
    public static async Task<EvalSession> OpenAsync(CliContext ctx, EvalOptions options, ParseResult parse, CancellationToken cancellationToken)
    {
        var manifest = ctx.Manifest;
        var setup = EvalSetup.For(manifest, parse.GetValue(options.Environment), parse.GetValue(options.Vars) ?? [], useCache: !parse.GetValue(options.NoCache));
        var store = await ctx.StoreAsync(cancellationToken).ConfigureAwait(false);

        // The run's concurrency bounds its calls, so the provider default (16, for the gateway) must not cap it silently;
        // a max_concurrency the manifest sets still applies, and the run's log says which limit does.
        var owned = ctx.Env.ModelClients is null
            ? new ModelClientFactory(ctx.Time, PriceTable.For(manifest), store.ResponseCache, defaults: new ModelClientDefaults { MaxConcurrency = EvalConcurrency.UnsetProviderLimit, BackoffNotice = ctx.Output.Note })
            : null;
        IModelClientFactory clients = owned ?? ctx.Env.ModelClients!.Invoke(manifest, store);
        EvalService evals;
        try
        {
            evals = new EvalService(setup, store, clients, ctx.ReleaseResolver(store), ctx.Time);
        }
        catch
        {
            owned?.Dispose();
            throw;
        }

        return new EvalSession(store, evals, owned);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Evals.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _ownedClients?.Dispose();
        }
    }
}
