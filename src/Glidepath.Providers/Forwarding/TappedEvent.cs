namespace Glidepath.Providers.Forwarding;

/// <summary>What becomes of a streamed event, as the <see cref="ResponseTap"/> read it.</summary>
internal enum TappedEvent
{
    /// <summary>Copied to the caller.</summary>
    Copy,

    /// <summary>Not for the caller: OpenAI's usage chunk when the caller did not ask for it (the gateway always asks).</summary>
    Drop,

    /// <summary>
    /// The stream's last event (OpenAI's <c>[DONE]</c>, Anthropic's <c>message_stop</c>): copied only when the answer
    /// before it is complete (an SDK stops reading there, so it must never end a failed answer), and nothing after it is read.
    /// </summary>
    Last,
}
