using System.Text.Json;
using Glidepath.Serving;
using Glidepath.Serving.Tracing;
using Glidepath.Storage;
using Glidepath.Traces;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Endpoints;

/// <summary><c>POST /v1/feedback {"trace_id", "score": 1 | -1 | 0..1, "comment"}</c>: a user's verdict on one trace.</summary>
internal static class FeedbackEndpoint
{
    public static async Task<IResult> HandleAsync(HttpContext http, ITraceStore store, TraceQueue queue, ServingOptions settings)
    {
        var ct = http.RequestAborted;
        string? traceId;
        double score;
        string? comment;
        try
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body, default, ct).ConfigureAwait(false);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Error(400, "the body must be a JSON object {\"trace_id\", \"score\", \"comment\"}");
            }

            traceId = root.TryGetProperty("trace_id", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (string.IsNullOrWhiteSpace(traceId))
            {
                return Error(400, "'trace_id' is required: the Glidepath-Trace header of the response being rated");
            }

            if (!root.TryGetProperty("score", out var s) || s.ValueKind != JsonValueKind.Number || !IsValidScore(score = s.GetDouble()))
            {
                return Error(400, "'score' is required: 1 (good), -1 (bad) or a number from 0 to 1");
            }

            comment = root.TryGetProperty("comment", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        }
        catch (JsonException)
        {
            return Error(400, "the request body is not valid JSON; expected {\"trace_id\", \"score\", \"comment\"}");
        }

        var feedback = new FeedbackRecord(traceId, score, comment, settings.Time.GetUtcNow());
        try
        {
            var stored = await store.AddFeedbackAsync(feedback, ct).ConfigureAwait(false);

            // A trace this gateway just issued may still be in the queue: give the batch writer a moment.
            for (var i = 0; !stored && queue.IssuedRecently(traceId) && i < 40; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), settings.Time, ct).ConfigureAwait(false);
                stored = await store.AddFeedbackAsync(feedback, ct).ConfigureAwait(false);
            }

            return stored
                ? Results.Json(new Dictionary<string, object?> { ["trace_id"] = traceId, ["score"] = score, ["stored"] = true }, statusCode: 201)
                : Error(404, $"unknown trace '{traceId}': no request with that Glidepath-Trace id was recorded");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Error(503, $"feedback could not be stored right now: {ex.Message}");
        }
    }

    private static bool IsValidScore(double score) => score is 1 or -1 || score is >= 0 and <= 1;

    private static IResult Error(int status, string message) =>
        Results.Json(new Dictionary<string, object> { ["error"] = new Dictionary<string, string> { ["message"] = message } }, statusCode: status);
}
