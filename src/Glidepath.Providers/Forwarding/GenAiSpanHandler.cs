using System.Diagnostics;
using System.Diagnostics.Metrics;
using Glidepath.Errors;
using Glidepath.Models;

namespace Glidepath.Providers.Forwarding;

/// <summary>
/// The GenAI client span and metrics of a forwarded call (OpenTelemetry GenAI conventions, source and meter
/// <c>Glidepath</c>, as the translating path's telemetry layer), and its cost at the manifest's prices. The span
/// opens at the send and closes when the tapped answer is complete, with its usage, finish reason and cost.
/// </summary>
internal sealed class GenAiSpanHandler(string provider, string model, string? environment, Uri endpoint, PriceTable prices, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly ActivitySource Source = new(ModelClientFactory.TelemetrySourceName);
    private static readonly Meter Meter = new(ModelClientFactory.TelemetrySourceName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s", "GenAI operation duration");
    private static readonly Histogram<long> TokenUsage = Meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Measures number of input and output tokens used");

    /// <summary>The span's name, built once: the name is an argument, so it was built per call even when nothing listens.</summary>
    private readonly string _spanName = "chat " + model;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var exchange = ConcurrencyLimitHandler.Exchange(request);
        var span = Source.StartActivity(_spanName, ActivityKind.Client);
        if (span is not null)
        {
            span.SetTag("gen_ai.operation.name", "chat");
            span.SetTag("gen_ai.provider.name", provider);
            span.SetTag("gen_ai.request.model", model);
            span.SetTag("server.address", endpoint.Host);
            span.SetTag("server.port", endpoint.Port);
            if (environment is not null)
            {
                span.SetTag("glidepath.environment", environment);
            }
        }

        exchange.Span = span;
        exchange.SpanStart = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            exchange.OnComplete(() => End(exchange, exchange.Failure));
            return response;
        }
        catch (Exception ex)
        {
            End(exchange, ex is ProviderException p ? p.Failure.ToString() : ex.GetType().FullName);
            throw;
        }
    }

    private void End(ForwardExchange exchange, string? error)
    {
        var usage = exchange.Usage;
        exchange.CostUsd = error is null ? prices.Cost(model, usage) : null;
        var tags = new TagList { { "gen_ai.operation.name", "chat" }, { "gen_ai.provider.name", provider }, { "gen_ai.request.model", model } };
        if (error is not null)
        {
            tags.Add("error.type", error);
        }

        Duration.Record(Stopwatch.GetElapsedTime(exchange.SpanStart).TotalSeconds, tags);
        if (usage is { InputTokenCount: { } input })
        {
            var t = tags;
            t.Add("gen_ai.token.type", "input");
            TokenUsage.Record(input, t);
        }

        if (usage is { OutputTokenCount: { } output })
        {
            var t = tags;
            t.Add("gen_ai.token.type", "output");
            TokenUsage.Record(output, t);
        }

        if (exchange.Span is not { } span)
        {
            return;
        }

        if (error is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, error);
            span.SetTag("error.type", error);
        }

        if (exchange.FinishReason is { } finish)
        {
            span.SetTag("gen_ai.response.finish_reasons", new[] { finish.Value });
        }

        span.SetTag("gen_ai.usage.input_tokens", usage?.InputTokenCount);
        span.SetTag("gen_ai.usage.output_tokens", usage?.OutputTokenCount);
        CacheTags(span, usage);
        if (exchange.CostUsd is { } usd)
        {
            span.SetTag(ModelResponseProperties.CostUsd, (double)usd);
        }

        span.Dispose();
        exchange.Span = null;
    }

    /// <summary>The parts of the input the prompt cache read and wrote (OpenTelemetry GenAI names; both are in the input tokens), when there were any.</summary>
    internal static void CacheTags(Activity span, Microsoft.Extensions.AI.UsageDetails? usage)
    {
        if (PromptCacheUsage.Read(usage) is > 0 and var read)
        {
            span.SetTag("gen_ai.usage.cache_read.input_tokens", read);
        }

        if (PromptCacheUsage.Written(usage) is > 0 and var written)
        {
            span.SetTag("gen_ai.usage.cache_creation.input_tokens", written);
        }
    }
}
