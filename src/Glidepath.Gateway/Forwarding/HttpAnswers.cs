using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Glidepath.Gateway.Wire;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Forwarding;

/// <summary>How the chat endpoint writes what is not a model's answer: errors in the caller's format, stream headers, timing.</summary>
internal static class HttpAnswers
{
    /// <summary>
    /// Error bodies keep apostrophes and non-ASCII letters as they are ("unknown app 'x'", not "\u0027x\u0027"), so a
    /// person reading one with curl can; quotes and control characters are still escaped. It is JSON sent as
    /// application/json, never embedded in HTML, so the HTML-sensitive characters need no escape either.
    /// </summary>
    private static readonly JsonWriterOptions ErrorWriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An error body in the caller's format; nothing when the response has already started.</summary>
    public static async Task ErrorAsync(HttpContext http, IWireFormat wire, int status, string kind, string message, string? param = null, string? code = null)
    {
        var response = http.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, ErrorWriterOptions))
        {
            wire.WriteError(writer, kind, message, param, code);
        }

        await FlushQuietlyAsync(response.BodyWriter).ConfigureAwait(false);
    }

    public static void StartStream(HttpResponse response, double overheadMs)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        response.Headers["Server-Timing"] = ServerTiming(overheadMs);
    }

    public static async Task FlushQuietlyAsync(PipeWriter body)
    {
        try
        {
            await body.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // The caller went away; the trace still records what happened.
        }
    }

    public static string ServerTiming(double overheadMs) => string.Create(CultureInfo.InvariantCulture, $"gateway;dur={overheadMs:0.###}");
}
