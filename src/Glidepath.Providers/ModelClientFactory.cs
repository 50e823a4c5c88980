using System.Diagnostics;
using System.Collections.Concurrent;
using Glidepath.Errors;
using Glidepath.Manifests;
using Glidepath.Models;
using Glidepath.Providers.Anthropic;
using Glidepath.Providers.Caching;
using Glidepath.Providers.Cost;
using Glidepath.Providers.Forwarding;
using Glidepath.Providers.Http;
using Glidepath.Providers.OpenAI;
using Glidepath.Providers.Resilience;
using Glidepath.Providers.Sim;
using Glidepath.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Glidepath.Providers;

/// <summary>
/// Builds the model pipeline for a release's model and an environment's provider settings:
/// telemetry (OpenTelemetry GenAI, source and meter "Glidepath") → cost → response cache (when asked) →
/// resilience (timeout, retries, concurrency) → the provider client (Anthropic, OpenAI-compatible, or the sim).
/// One factory per process: it owns the HTTP connection pool and the per-provider concurrency limits.
/// </summary>
public sealed class ModelClientFactory : IModelClientFactory, IModelForwarderFactory, IDisposable
{
    /// <summary>ActivitySource and Meter name of the pipeline's telemetry.</summary>
    public const string TelemetrySourceName = Glidepath.Traces.GlidepathTelemetry.Name;

    private readonly TimeProvider _time;
    private readonly PriceTable _prices;
    private readonly IResponseCacheStore? _cache;
    private readonly ILoggerFactory _loggerFactory;

    // Set when built without a logger factory: the host's can be attached later (UseHostLogging).
    private readonly LateLoggerFactory? _late;

    // The OpenTelemetry layer's log: a call its caller cancelled is Debug, not a warning with a stack (CancelledCallLog).
    private readonly CancelledCallLog _telemetryLoggers;
    private readonly ModelClientDefaults _defaults;
    private readonly HttpMessageHandler _handler;
    private readonly bool _ownsHandler;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _limits = new(StringComparer.Ordinal);

    // Per provider endpoint and model, whatever the lane: a provider's rate limit is its own, not one pool's, and providers
    // limit each model apart (a judge's 429s on one model do not pause the release's calls on another: trial gatejudge2).
    private readonly ConcurrentDictionary<string, ProviderBackoff> _backoffs = new(StringComparer.Ordinal);
    private readonly SimCallCounter _simCalls = new();
    private readonly object _writerLock = new();
    private ResponseCacheWriter? _cacheWriter;

    /// <param name="time">Clock for timeouts, backoff, cache expiry and the sim's latency.</param>
    /// <param name="prices">Price table (defaults + manifest <c>prices:</c>), see <see cref="PriceTable.For"/>.</param>
    /// <param name="responseCache">The store's response cache; needed for clients created with <see cref="ResponseCacheMode.Use"/>.</param>
    /// <param name="loggerFactory">Logs retries and cache problems (never a key or message content).</param>
    /// <param name="defaults">Settings the manifest leaves out.</param>
    public ModelClientFactory(TimeProvider time, PriceTable prices, IResponseCacheStore? responseCache = null, ILoggerFactory? loggerFactory = null, ModelClientDefaults? defaults = null)
    {
        _time = time;
        _prices = prices;
        _cache = responseCache;
        _loggerFactory = loggerFactory ?? (_late = new LateLoggerFactory());

        // The GenAI layer's own log (a warning with the stack for every failed call) only where the host gave its logging
        // up front (an SDK app); a gateway traces each failure instead, and logs the retries (UseHostLogging).
        _telemetryLoggers = new CancelledCallLog(loggerFactory ?? NullLoggerFactory.Instance);
        _defaults = defaults ?? new ModelClientDefaults();
        _ownsHandler = _defaults.HttpHandler is null;
        // Redirects are not followed: a provider's answer is never one (a 3xx is a provider error, ProviderHttpHandler),
        // and following one would send the request again with its key (.NET drops only an Authorization header on a
        // redirect, not x-api-key). It also takes one handler off every call. No cookie jar: the handler is shared by
        // every caller, so a cookie a provider set while answering one would go with everyone's later calls (one
        // provider session for all). No trace context either: the caller's trace id, tracestate and baggage stay with
        // the gateway, as every caller header but the listed betas does (docs/security.md).
        _handler = _defaults.HttpHandler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseCookies = false,
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        };
    }

    public IChatClient Create(ModelSpec model, ProviderSettings settings, ModelClientOptions options)
    {
        var provider = model.Provider;
        var (baseUrl, apiKey, resilience) = Resolve(model, settings, options);
        var inner = provider switch
        {
            ProviderNames.Anthropic => AnthropicChatClientFactory.Create(model, baseUrl!, apiKey!, Http(provider, apiKey)),
            ProviderNames.OpenAI when options.LeanClient => new OpenAIToolSchemaChatClient(new OpenAiWireChatClient(baseUrl!, apiKey, model.Name, Invoker(provider, apiKey),
                () => OpenAIChatClientFactory.Create(model, baseUrl!, apiKey, Http(provider, apiKey), resilience.Timeout))),
            ProviderNames.OpenAI => new OpenAIToolSchemaChatClient(OpenAIChatClientFactory.Create(model, baseUrl!, apiKey, Http(provider, apiKey), resilience.Timeout)),
            _ => (IChatClient)new SimChatClient(model, SimOptions.Parse(model), options.TrialIndex, _time, _simCalls.For(model), _defaults.SimSalt),
        };

        var logger = _loggerFactory.CreateLogger("Glidepath.Providers");

        var builder = new ChatClientBuilder(inner)
            .UseOpenTelemetry(_telemetryLoggers, TelemetrySourceName, otel => otel.EnableSensitiveData = false)
            .Use(next => new CostChatClient(next, _prices, provider, model.Name, options.Environment));
        // Refresh only writes: a factory without a cache store has nowhere to, and the call goes to the provider anyway.
        if (options.Cache == ResponseCacheMode.Use || (options.Cache == ResponseCacheMode.Refresh && _cache is not null))
        {
            var cache = _cache ?? throw new InvalidOperationException("this ModelClientFactory was built without a response cache store; pass the store's ResponseCache");
            ResponseCacheWriter writer;
            lock (_writerLock)
            {
                writer = _cacheWriter ??= new ResponseCacheWriter(cache, logger);
            }

            builder.Use(next => new ResponseCacheChatClient(next, cache, writer, provider, baseUrl, model, options.TrialIndex, options.CacheScope, options.Cache, options.Cacheable, _defaults.CacheTtl, _time, logger));
        }

        builder.Use(next => new ResilientChatClient(next, resilience, _time, logger));
        return builder.Build();
    }

    /// <summary>
    /// For a factory built without a logger factory: its clients log (a retried provider call, a cache failure) through
    /// <paramref name="loggers"/> from now on, those built before included. A host calls it once its logging exists
    /// (<c>glidepath serve</c> builds the factory before the gateway's host; until 2026-12-06 its retries were logged nowhere).
    /// A factory given a logger factory keeps it.
    /// </summary>
    public void UseHostLogging(ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _late?.Attach(loggers);
    }

    /// <inheritdoc />
    public ModelForwarder? CreateForwarder(ModelSpec model, ProviderSettings settings, ModelClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Provider is not (ProviderNames.OpenAI or ProviderNames.Anthropic))
        {
            return null;
        }

        var (baseUrl, apiKey, resilience) = Resolve(model, settings, options);
        var root = baseUrl!.TrimEnd('/');
        var (endpoint, headers) = model.Provider == ProviderNames.Anthropic
            ? (new Uri(root + "/v1/messages"), new[] { ("x-api-key", apiKey!), ("anthropic-version", "2023-06-01") })
            : (new Uri(root + "/chat/completions"), new[] { ("Authorization", "Bearer " + (apiKey ?? OpenAIChatClientFactory.NoKey)) });
        var logger = _loggerFactory.CreateLogger("Glidepath.Providers");
        HttpMessageHandler handlers = new ProviderHttpHandler(model.Provider, apiKey, _time, _handler);
        handlers = new RetryHandler(resilience, RetryPipeline.Build(resilience, _time, logger), _time, handlers);
        handlers = new ConcurrencyLimitHandler(resilience, _time, handlers);
        handlers = new GenAiSpanHandler(model.Provider, model.Name, options.Environment, endpoint, _prices, handlers);
        return new ModelForwarder(model, endpoint, headers, handlers, resilience, _time, settings.CallerBetas);
    }

    /// <summary>The provider's base URL, key (from its environment variable) and resilience settings, checked once per client.</summary>
    private (string? BaseUrl, string? ApiKey, ResilienceSettings Resilience) Resolve(ModelSpec model, ProviderSettings settings, ModelClientOptions options)
    {
        var provider = model.Provider;
        var isSim = provider == ProviderNames.Sim;
        var timeout = settings.Timeout ?? (isSim ? SimOptions.DefaultTimeout : _defaults.Timeout);
        var maxRetries = settings.MaxRetries ?? (isSim ? 0 : _defaults.MaxRetries);
        var maxConcurrency = settings.MaxConcurrency ?? (isSim ? Math.Max(64, _defaults.MaxConcurrency) : _defaults.MaxConcurrency);
        if (timeout <= TimeSpan.Zero || maxRetries < 0 || maxConcurrency < 1)
        {
            throw new BadInputException($"providers.{provider}: timeout must be positive, max_retries ≥ 0 and max_concurrency ≥ 1");
        }

        var (baseUrl, apiKey) = Endpoint(provider, settings);

        var limit = _limits.GetOrAdd(provider + "|" + baseUrl + (options.Lane is { } lane ? "|" + lane : ""), _ => new SemaphoreSlim(maxConcurrency, maxConcurrency));
        var resilience = new ResilienceSettings(provider, timeout, maxRetries, _defaults.RetryBaseDelay, _defaults.MaxRetryAfter, limit, apiKey)
        {
            MaxConcurrency = maxConcurrency,
            MaxQueueWait = options.MaxQueueWait,
            Backoff = options.SharedBackoff && !isSim ? _backoffs.GetOrAdd(provider + "|" + baseUrl + "|" + model.Name,
                _ => new ProviderBackoff(_time, _defaults.MaxRetryAfter, provider, $"{provider} {model.Name} at {(baseUrl is null ? "its default URL" : ShownUrl.Of(baseUrl))}", _defaults.BackoffNotice)) : null,
        };
        return (baseUrl, apiKey, resilience);
    }

    /// <inheritdoc />
    public void CheckSettings(ModelSpec model, ProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        _ = Endpoint(model.Provider, settings);
    }

    /// <summary>The provider's base URL and its key, read from the variable <c>api_key_env</c> names (none for the sim, nor for a custom base URL without one).</summary>
    private (string? BaseUrl, string? ApiKey) Endpoint(string provider, ProviderSettings settings) => provider switch
    {
        ProviderNames.Anthropic => (settings.BaseUrl ?? ProviderDefaults.AnthropicDefaultBaseUrl, ApiKey.Resolve(provider, settings, _defaults.GetEnvironmentVariable, required: true)),

        // A custom base_url (Ollama, vLLM, llama.cpp) may need no key; api.openai.com always does.
        ProviderNames.OpenAI => (settings.BaseUrl ?? ProviderDefaults.OpenAIDefaultBaseUrl, ApiKey.Resolve(provider, settings, _defaults.GetEnvironmentVariable, required: settings.BaseUrl is null)),
        ProviderNames.Sim => ((string?)null, (string?)null),
        _ => throw new BadInputException($"unknown model provider '{provider}'; expected anthropic, openai or sim"),
    };

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        ResponseCacheWriter? writer;
        lock (_writerLock)
        {
            writer = _cacheWriter;
        }

        return writer?.FlushAsync(cancellationToken) ?? Task.CompletedTask;
    }

    /// <summary>Writes the response-cache entries still queued (so a cached re-run finds them), then releases the clients' resources.</summary>
    public void Dispose()
    {
        lock (_writerLock)
        {
            _cacheWriter?.Dispose();
            _cacheWriter = null;
        }

        if (_ownsHandler)
        {
            _handler.Dispose();
        }

        foreach (var limit in _limits.Values)
        {
            limit.Dispose();
        }
    }

    /// <summary>The provider's handler stack without HttpClient's buffering: the wire client reads the answer into its own pooled buffer.</summary>
    private HttpMessageInvoker Invoker(string provider, string? apiKey) =>
        new(new ProviderHttpHandler(provider, apiKey, _time, _handler), disposeHandler: false);

    /// <summary>
    /// The SDK clients' handler stack: a 200 that is not an answer fails here, and a streamed answer ends once complete,
    /// both by the pass-through path's rules.
    /// </summary>
    private HttpClient Http(string provider, string? apiKey) =>
        new(new AnswerCheckHandler(provider, apiKey, new StreamEndHandler(provider, new ProviderHttpHandler(provider, apiKey, _time, _handler))), disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
}
