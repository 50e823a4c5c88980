using System.Runtime.InteropServices;
using System.Text.Json;
using Glidepath.Traces;
using Microsoft.Extensions.AI;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// What captured content holds in memory, for the <see cref="CaptureBudget"/>: text at two bytes a character (.NET
/// strings), image bytes and JSON values as they are. Read only for requests that keep content (sampled, mirrored).
/// </summary>
internal static class CapturedSize
{
    public static long Of(string? text) => 2L * (text?.Length ?? 0);

    /// <summary>A trace's captured content: its request JSON and its answer.</summary>
    public static long Of(TraceRecord trace) => Of(trace.InputJson) + Of(trace.OutputText);

    /// <summary>The caller's messages: their text, images, tool calls and tool results.</summary>
    public static long Of(IReadOnlyList<ChatMessage> messages)
    {
        long bytes = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var contents = messages[i].Contents;
            for (var j = 0; j < contents.Count; j++)
            {
                bytes += contents[j] switch
                {
                    TextContent t => Of(t.Text),
                    TextReasoningContent r => Of(r.Text),
                    DataContent d => d.Data.Length,
                    UriContent u => Of(u.Uri.OriginalString),
                    FunctionCallContent c => Of(c.CallId) + Of(c.Name) + Of(c.Arguments),
                    FunctionResultContent r => Of(r.CallId) + Of(r.Result),
                    _ => 0,
                };
            }
        }

        return bytes;
    }

    /// <summary>The caller's tools (their names, descriptions and schemas): a request's options kept for a shadow.</summary>
    public static long Of(ChatOptions? options)
    {
        if (options?.Tools is not { } tools)
        {
            return 0;
        }

        long bytes = 0;
        for (var i = 0; i < tools.Count; i++)
        {
            bytes += Of(tools[i].Name) + Of(tools[i].Description);
            if (tools[i] is AIFunctionDeclaration declaration)
            {
                bytes += Of(declaration.JsonSchema);
            }
        }

        return bytes;
    }

    private static long Of(IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return 0;
        }

        long bytes = 0;
        foreach (var (name, value) in arguments)
        {
            bytes += Of(name) + Of(value);
        }

        return bytes;
    }

    private static long Of(object? value) => value switch
    {
        string s => Of(s),
        JsonElement e => Of(e),
        _ => 0,
    };

    private static long Of(JsonElement element) => element.ValueKind == JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(element).Length;
}
