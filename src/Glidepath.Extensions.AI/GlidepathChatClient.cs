using System.Diagnostics;
using System.Runtime.CompilerServices;
using Glidepath.Serving.Chat;
using Microsoft.Extensions.AI;

namespace Glidepath.Extensions.AI;

/// <summary>
/// Chat middleware that does in-process what the Glidepath gateway does per request: routes the call to the environment's
/// stable or canary release on the sticky split (the same buckets as the gateway), applies that release, calls the model
/// (<see cref="Mode"/>), and records the trace off the call path. The answer carries the release, arm and trace id in its
/// <see cref="ChatResponse.AdditionalProperties"/> (<see cref="GlidepathProperties"/>). Thread-safe.
/// </summary>
public sealed class GlidepathChatClient : DelegatingChatClient
{
    /// <summary>The API name recorded on this client's traces (the gateway records <c>openai</c> or <c>anthropic</c>).</summary>
    public const string Api = "sdk";

    /// <summary>The options of a call that brought none: the serving core only reads a request's options, so one serves all.</summary>
    private static readonly ChatOptions NoOptions = new();

    private readonly GlidepathRuntime _runtime;

    /// <summary>Creates the middleware over <paramref name="innerClient"/> (called only in <see cref="GlidepathMode.InnerClient"/> mode).</summary>
    public GlidepathChatClient(IChatClient innerClient, GlidepathRuntime runtime)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _runtime = runtime;
    }

    /// <summary>Which model answers: the routed release's (default) or the inner client with the release applied.</summary>
    public GlidepathMode Mode { get; set; } = GlidepathMode.ReleaseProvider;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // In flight until its trace is recorded: a stop of the runtime waits for it.
        var chat = _runtime.BeginCall();
        try
        {
            var (call, request) = Route(chat, messages, options, stream: false);
            using (call)
            {
                try
                {
                    Prepare(call, request);
                    var response = await call.GetResponseAsync(cancellationToken).ConfigureAwait(false);
                    if (response is null)
                    {
                        throw Failed(call, cancellationToken);
                    }

                    Annotate(response.AdditionalProperties ??= [], call);
                    call.Complete();
                    return response;
                }
                catch (Exception ex) when (!call.IsCompleted && ex is not OperationCanceledException)
                {
                    // A failure of Glidepath itself: traced as the gateway traces its own 500, then thrown as it is.
                    call.Complete(500, "gateway_error");
                    throw;
                }
            }
        }
        finally
        {
            _runtime.EndCall();
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var chat = _runtime.BeginCall();
        ChatCall? routed = null;
        try
        {
            var (call, request) = Route(chat, messages, options, stream: true);
            routed = call;
            Prepare(call, request);
            var first = true;
            await foreach (var update in call.GetStreamingResponseAsync(cancellationToken).ConfigureAwait(false))
            {
                if (first)
                {
                    Annotate(update.AdditionalProperties ??= [], call);
                    first = false;
                }

                yield return update;
            }

            if (call.Failure is not null)
            {
                throw Failed(call, cancellationToken);
            }

            call.Complete();
        }
        finally
        {
            // The caller stopped reading before the end: traced as the gateway traces a caller that went away.
            if (routed is { IsCompleted: false })
            {
                routed.Complete(ChatFailure.ClientClosed.Status, ChatFailure.ClientClosed.TraceError);
            }

            routed?.Dispose();
            _runtime.EndCall();
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(GlidepathRuntime) ? _runtime : base.GetService(serviceType, serviceKey);
    }

    private (ChatCall Call, ChatRequest Request) Route(ChatService chat, IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var start = Stopwatch.GetTimestamp();
        var (callerOptions, subject, conversation, vars) = Split(options);
        var request = new ChatRequest
        {
            Model = chat.App,
            Messages = messages as List<ChatMessage> ?? [.. messages],
            Options = callerOptions,
            Stream = stream,
        };
        var context = new ChatCallContext
        {
            Api = Api,
            Subject = subject ?? GlidepathSubject.Current,
            Conversation = conversation,
            Vars = vars,
            Start = start,
            StartedAt = _runtime.Time.GetUtcNow(),
        };
        var call = chat.Route(context, request) ?? throw new GlidepathChatException(chat.NoStableRelease, 503, ErrorKinds.Unavailable, null, null, null, null);
        return (call, request);
    }

    private void Prepare(ChatCall call, ChatRequest request)
    {
        var ready = Mode == GlidepathMode.InnerClient ? call.PrepareFor(request, InnerClient) : call.Prepare(request);
        if (!ready)
        {
            throw Failed(call, CancellationToken.None);
        }
    }

    /// <summary>Records the failed call's trace and builds what the app sees: cancellation as such, anything else as a <see cref="GlidepathChatException"/>.</summary>
    private static Exception Failed(ChatCall call, CancellationToken cancellationToken)
    {
        call.Complete();
        var failure = call.Failure!;
        if (failure.IsClientClosed && cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException(cancellationToken);
        }

        return new GlidepathChatException(
            $"{failure.Message} (release {call.ReleaseLabel}, arm {call.Arm}, trace {call.TraceId})", failure.Status, failure.Kind, call.TraceId, call.ReleaseLabel, call.Arm, call.FailureException);
    }

    private static void Annotate(AdditionalPropertiesDictionary properties, ChatCall call)
    {
        properties[GlidepathProperties.Release] = call.ReleaseLabel;
        properties[GlidepathProperties.Arm] = call.Arm;
        properties[GlidepathProperties.TraceId] = call.TraceId;
    }

    /// <summary>The caller's options without Glidepath's keys (a copy: a caller's options are never changed), and what those keys said.</summary>
    private static (ChatOptions Options, string? Subject, string? Conversation, IReadOnlyDictionary<string, string>? Vars) Split(ChatOptions? options)
    {
        if (options is null)
        {
            return (NoOptions, null, null, null);
        }

        var properties = options.AdditionalProperties;
        if (properties is null || !(properties.ContainsKey(GlidepathProperties.Subject) || properties.ContainsKey(GlidepathProperties.Conversation) || properties.ContainsKey(GlidepathProperties.Vars)))
        {
            return (options, null, null, null);
        }

        var subject = properties.TryGetValue(GlidepathProperties.Subject, out var s) ? s?.ToString() : null;
        var conversation = properties.TryGetValue(GlidepathProperties.Conversation, out var c) ? c?.ToString() : null;
        var vars = properties.TryGetValue(GlidepathProperties.Vars, out var v) ? Vars(v) : null;
        var copy = options.Clone();
        var rest = properties.Clone();
        rest.Remove(GlidepathProperties.Subject);
        rest.Remove(GlidepathProperties.Conversation);
        rest.Remove(GlidepathProperties.Vars);
        copy.AdditionalProperties = rest.Count > 0 ? rest : null;
        return (copy, string.IsNullOrEmpty(subject) ? null : subject, string.IsNullOrEmpty(conversation) ? null : conversation, vars);
    }

    private static IReadOnlyDictionary<string, string>? Vars(object? value) => value switch
    {
        null => null,
        IReadOnlyDictionary<string, string> d => d,
        IDictionary<string, string> d => new Dictionary<string, string>(d, StringComparer.OrdinalIgnoreCase),
        _ => throw new ArgumentException($"ChatOptions.AdditionalProperties[\"{GlidepathProperties.Vars}\"] is a {value.GetType().Name}; expected an IReadOnlyDictionary<string, string> of prompt variables", nameof(value)),
    };
}
