using System.Diagnostics;
using System.Text.Json;
using Glidepath.Traces;

namespace Glidepath.Gateway.Tests.Support;

/// <summary>Checks that an error body is in the caller's wire format, and waits for a trace to reach the store.</summary>
internal static class WireAssert
{
    /// <summary>The error message of an OpenAI (<c>{"error": {"message", "type"}}</c>) or Anthropic (<c>{"type": "error", "error": {…}}</c>) error body.</summary>
    public static string ErrorMessage(string path, string body)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        var error = root.GetProperty("error");
        if (path.EndsWith("/messages", StringComparison.Ordinal))
        {
            Assert.Equal("error", root.GetProperty("type").GetString());
        }
        else
        {
            Assert.False(root.TryGetProperty("type", out _), "an OpenAI error body has no top-level 'type'");
            Assert.Equal(JsonValueKind.String, error.GetProperty("code").ValueKind);
        }

        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
        return error.GetProperty("message").GetString()!;
    }

    public static async Task<TraceRecord> TraceAsync(GatewayFixture f, string id)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (await f.Store.Traces.GetAsync(id, default) is { } trace)
            {
                return trace;
            }

            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException($"trace {id} never reached the store");
    }
}
