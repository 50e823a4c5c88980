using System.Buffers;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Wire;

/// <summary>Turns streaming updates into server-sent events of one wire format, keeping the per-stream state.</summary>
internal interface IStreamWriter
{
    /// <summary>Appends the events for <paramref name="update"/> (possibly none) to <paramref name="output"/>.</summary>
    void WriteUpdate(IBufferWriter<byte> output, ChatResponseUpdate update);

    /// <summary>Appends the closing events (finish reason, usage, end marker).</summary>
    void WriteEnd(IBufferWriter<byte> output, UsageDetails? usage, ChatFinishReason? finishReason);

    /// <summary>Appends an error event, for failures after the stream started.</summary>
    void WriteError(IBufferWriter<byte> output, string kind, string message);
}
