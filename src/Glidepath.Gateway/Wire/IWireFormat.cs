using Glidepath.Serving.Chat;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>One caller-facing API (OpenAI chat completions or Anthropic messages): read a request, write answers and errors.</summary>
internal interface IWireFormat
{
    /// <summary>openai or anthropic, as recorded on traces.</summary>
    string Name { get; }

    /// <summary>Reads the request body; throws <see cref="WireException"/> for anything the caller must fix.</summary>
    ChatRequest Parse(System.Text.Json.JsonElement root);

    /// <summary>Writes a complete (non-streaming) response body.</summary>
    void WriteResponse(System.Text.Json.Utf8JsonWriter writer, ChatResponse response, ResponseContext context);

    /// <summary>A fresh writer for one streamed response; it keeps the per-stream state (open blocks, tool indices).</summary>
    IStreamWriter CreateStreamWriter(ResponseContext context, ChatRequest request);

    /// <summary>Writes an error body in this format.</summary>
    /// <param name="param">The request field the error names (OpenAI's <c>param</c>), when a provider named one.</param>
    /// <param name="code">The provider's error code (OpenAI's <c>code</c>), else the format's own.</param>
    void WriteError(System.Text.Json.Utf8JsonWriter writer, string kind, string message, string? param = null, string? code = null);
}
