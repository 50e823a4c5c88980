using System.Diagnostics;
using System.Runtime.CompilerServices;
using Glidepath.Models;
using Microsoft.Extensions.AI;

namespace Glidepath.Providers.Cost;

/// <summary>
/// Prices each call from its usage with the <see cref="PriceTable"/> and records the USD in
/// <see cref="ModelResponseProperties.CostUsd"/> (on the response, or on the streaming update that carries usage).
/// </summary>
internal sealed class CostChatClient(IChatClient inner, PriceTable prices, string provider, string modelName, string? environment) : DelegatingChatClient(inner)
{
    /// <summary>Adds Glidepath's own attributes to the GenAI span the telemetry layer opened around this call.</summary>
    private void Tag(decimal? usd)
    {
        if (Activity.Current is { } activity)
        {
            if (environment is not null)
            {
                activity.SetTag("glidepath.environment", environment);
            }

            if (usd is { } value)
            {
                activity.SetTag(ModelResponseProperties.CostUsd, (double)value);
            }
        }
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await InnerClient.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var props = response.AdditionalProperties ??= [];
        props[ModelResponseProperties.Provider] = provider;
        var usd = prices.Cost(modelName, response.Usage);
        if (usd is not null)
        {
            props[ModelResponseProperties.CostUsd] = usd.Value;
        }

        Tag(usd);

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in InnerClient.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var content in update.Contents)
            {
                if (content is UsageContent usage && prices.Cost(modelName, usage.Details) is { } usd)
                {
                    var props = update.AdditionalProperties ??= [];
                    props[ModelResponseProperties.Provider] = provider;
                    props[ModelResponseProperties.CostUsd] = usd;
                    Tag(usd);
                }
            }

            yield return update;
        }
    }
}
