using Glidepath.Errors;
using Glidepath.Models;
using Glidepath.Providers.Forwarding;

namespace Glidepath.Serving.Chat;

/// <summary>
/// The pass-through side of a call: when the release's provider speaks the caller's own wire format, the host sends
/// the caller's body patched with the release (the same rule as <see cref="ReleaseApplier"/>) and copies the answer
/// back; the call still routes, samples, maps failures and traces exactly as the translating side does.
/// </summary>
public sealed partial class ChatCall
{
    private ForwardExchange? _forward;
    private bool _forwardErrorTaken;

    /// <summary>
    /// Set by <see cref="PrepareForwarding"/> when the call passes through: the release's forwarder for the caller's API.
    /// Null when it is translated (another wire format, the sim, or a host's own client).
    /// </summary>
    public ModelForwarder? Forwarder { get; private set; }

    /// <summary>The release's rendered system prompt, when the call passes through (the host puts it first).</summary>
    public string? SystemPrompt { get; private set; }

    /// <summary>The release's rule (model, parameters, tools), when the call passes through.</summary>
    public ReleaseApplier? Applier { get; private set; }

    /// <summary>Whether the answer's text is wanted (content capture, online scoring, shadow pairing): only then does the tap keep it.</summary>
    public bool WantsText => _trace.Output is not null;

    /// <summary>
    /// As <see cref="Prepare(ChatRequest)"/>, for a host that can send the caller's own body: when the release's
    /// provider speaks <see cref="ChatCallContext.Api"/>, the release is not applied to <paramref name="request"/> here
    /// and <see cref="Forwarder"/>, <see cref="SystemPrompt"/> and <see cref="Applier"/> are set for the host to patch the body.
    /// </summary>
    public bool PrepareForwarding(ChatRequest request) => Prepare(request, null, forwarding: true);

    /// <summary>Sends the patched body through the release's forwarder; null when it failed (see <see cref="Failure"/>).</summary>
    /// <param name="callerWantsUsage">Whether a streamed OpenAI answer should keep its usage chunk for the caller.</param>
    public async Task<ForwardedResponse?> ForwardAsync(ReadOnlyMemory<byte> body, bool stream, bool callerWantsUsage, CancellationToken cancellationToken)
    {
        var forwarder = Forwarder ?? throw new InvalidOperationException("PrepareForwarding did not choose the pass-through path for this call");
        _forward = new ForwardExchange(stream, _trace.Output is not null, callerWantsUsage) { AnthropicBeta = _context.AnthropicBeta };
        _streamed = stream;
        _streamToken = cancellationToken;
        try
        {
            return await forwarder.SendAsync(body, _forward, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Failure = ChatFailure.ClientClosed;
            return null;
        }
        catch (Exception ex)
        {
            Fail(ex);
            return null;
        }
    }

    /// <summary>Whether this call is sampled for the environment's shadow (its candidate answers the same input once the caller is answered).</summary>
    public bool IsShadowSampled => _shadow is not null;

    /// <summary>
    /// For a call sampled for the shadow (<see cref="IsShadowSampled"/>) whose body the host passes through: how to
    /// patch the caller's own body (a copy the host keeps) with another release — its applier and rendered system
    /// prompt — into a whole (not streamed) request. The candidate is then sent that body through its release's
    /// forwarder, as the caller's was, when that forwarder speaks the caller's wire; otherwise it is translated.
    /// </summary>
    /// <param name="keptBytes">The size of the body copy <paramref name="patch"/> keeps: the shadow mirror charges it to the capture budget while the call waits.</param>
    public void MirrorForwarded(Func<ReleaseApplier, string, ReadOnlyMemory<byte>> patch, int keptBytes)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (_shadow is not null)
        {
            (_shadowPatch, _shadowPatchBytes) = (patch, keptBytes);
        }
    }

    /// <summary>Records a failure of a forwarded stream after its headers (a gap past the timeout, a cut connection, a malformed event).</summary>
    public void FailForwarded(Exception exception) => Fail(exception);

    /// <summary>Takes what the tap read (usage, finish reason, first token, waits, cost) into the call, as the translating side observes updates.</summary>
    private void CollectForwarded()
    {
        if (_forward is not { } x)
        {
            return;
        }

        _trace.UpstreamTicks = x.UpstreamTicks;
        _trace.Attempts = x.Attempts;
        _trace.FirstToken ??= x.FirstToken;
        Usage = x.Usage ?? Usage;
        FinishReason = x.FinishReason ?? FinishReason;
        _cost = x.CostUsd ?? _cost;
        if (x.Text is { Length: > 0 } text)
        {
            _trace.Output?.Append(text.ToString());
            text.Clear();
        }
        if (x.StreamError is { } error && Failure is null && !_forwardErrorTaken)
        {
            _forwardErrorTaken = true;
            // The provider's own error event ended the stream: forwarded as it came, traced as the translating side would.
            Fail(x.StreamErrorOverloaded
                ? new ProviderException(_trace.Decision.Release.Snapshot.Model.Provider, 529, error, ProviderFailure.RateLimited)
                : new ProviderException(_trace.Decision.Release.Snapshot.Model.Provider, x.UpstreamStatus, error, ProviderFailure.ServerError));
        }
    }
}
