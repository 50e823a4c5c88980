using Glidepath.Gateway.Wire;
using Glidepath.Serving.Chat;

namespace Glidepath.Gateway.Forwarding;

/// <summary>What one request has set up so far, so the chat endpoint's net can answer and trace a failure from any point.</summary>
internal sealed class RequestState
{
    public required long Start { get; init; }
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The caller's key once authenticated (<see cref="CallerAuthentication.Anonymous"/> when none is needed).</summary>
    public Glidepath.Keys.ApiKey Key { get; set; } = CallerAuthentication.Anonymous;

    /// <summary>The key whose place among its requests calling the model this request holds (<see cref="CallerAuthentication.AdmitAsync"/>), given back when it ends.</summary>
    public string? AdmittedKeyId { get; set; }

    /// <summary>Null until the request is routed (or refused with a trace).</summary>
    public ChatCall? Call { get; set; }

    /// <summary>Set when a streamed answer began: a failure after its first event travels as an error event.</summary>
    public IStreamWriter? StreamWriter { get; set; }
}
