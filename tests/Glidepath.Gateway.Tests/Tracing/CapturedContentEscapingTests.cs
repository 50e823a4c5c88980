using System.Net;
using System.Text;
using System.Text.Json;
using Glidepath.Gateway.Tests.Support;
using Glidepath.Traces;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;

namespace Glidepath.Gateway.Tests.Tracing;

/// <summary>
/// Captured content is stored as the caller wrote it: the request's JSON escapes only what JSON needs, so Chinese or
/// Russian text and markup cost their UTF-8 bytes in memory, in the store and in the capture budget, not six times that.
/// </summary>
public sealed class CapturedContentEscapingTests
{
    private const string Text = "你好，世界。Привет! <script>alert('x')</script> & 1+1 > 0";
    private const string Answer = "答え: <b>はい</b> & 'yes'";

    [Fact]
    public async Task InputJson_CjkAndMarkupRequest_StoredAsPlainUtf8AndReadBackAsSent()
    {
        await using var f = await GatewayFixture.CreateAsync(
            editManifest: y => y.Replace("content: sampled", "content: all", StringComparison.Ordinal),
            upstream: GatewayUpstream.OpenAiPassThrough);
        f.Models.For("stable-model").Answer = (_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer)) { FinishReason = ChatFinishReason.Stop };
        await f.StartAsync();
        var sent = Text + "\n\u001b[31m"; // a line break and a terminal escape: JSON must escape both

        using var response = await f.PostAsync("/v1/chat/completions", GatewayFixture.Chat(JsonEncodedText.Encode(sent).ToString()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var trace = await f.TraceAsync(response.Headers.GetValues("Glidepath-Trace").Single());

        var expected = "[{\"role\":\"user\",\"content\":\"" + Text + "\\n\\u001B[31m\"}]";
        Assert.Equal(expected, trace.InputJson);
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), await StoredBytesAsync(f.StorePath, trace.TraceId));
        Assert.Equal(("user", sent), Assert.Single(TraceContent.Messages(trace.InputJson)));
        Assert.Equal(Answer, trace.OutputText);
    }

    /// <summary>The bytes the store holds for the trace's input_json: what a string's length cannot tell.</summary>
    private static async Task<long> StoredBytesAsync(string storePath, string traceId)
    {
        await using var connection = new SqliteConnection($"Data Source={storePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT length(CAST(input_json AS BLOB)) FROM traces WHERE trace_id = $id";
        command.Parameters.AddWithValue("$id", traceId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
