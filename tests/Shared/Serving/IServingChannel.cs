namespace Glidepath.Testing;

/// <summary>
/// One way into a serving host, for the shared cases: the gateway over HTTP (OpenAI wire format, <c>Glidepath-*</c>
/// headers) or the SDK in-process (<c>IChatClient</c>, <c>ChatOptions.AdditionalProperties</c>).
/// </summary>
internal interface IServingChannel : IAsyncDisposable
{
    /// <summary>The API the host records on traces (<c>openai</c> for the gateway's chat completions, <c>sdk</c>).</summary>
    string Api { get; }

    /// <summary>One non-streamed chat call; a refused or failed call comes back with its status, never as an exception.</summary>
    Task<Served> SendAsync(ServedRequest request);

    /// <summary>Waits (generously) until the host routes on the environment's revision <paramref name="revision"/> or later.</summary>
    Task WaitForRevisionAsync(long revision);

    /// <summary>Whether the host reports its control plane stale (store unreadable, serving the last table).</summary>
    Task<bool> IsControlPlaneStaleAsync();
}

/// <summary>A call: its user text, sticky subject and prompt variables.</summary>
internal sealed record ServedRequest(string Text = "Can I return shoes after 45 days?", string? Subject = null, IReadOnlyDictionary<string, string>? Vars = null);

/// <summary>What came back: the status (200 answered), the release and arm that served it, its trace id and the answer's text.</summary>
internal sealed record Served(int Status, string? Release, string? Arm, string? TraceId, string? Text);
