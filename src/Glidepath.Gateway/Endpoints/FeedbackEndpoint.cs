using System.Text.Json;
using Glidepath.Errors;
using Glidepath.Gateway.Forwarding;
using Glidepath.Gateway.Wire;
using Glidepath.Serving;
using Glidepath.Serving.Chat;
using Glidepath.Serving.Tracing;
using Glidepath.Storage;
using Glidepath.Traces;
using Microsoft.AspNetCore.Http;

namespace Glidepath.Gateway.Endpoints;

/// <summary>
/// <c>POST /v1/feedback {"trace_id", "score": 1 | -1 | 0..1, "comment"}</c>: a user's verdict on one trace of this
/// gateway's environment. One vote per trace counts (a later vote replaces the earlier), and a trace made with a key is
/// rated only with that key (404 otherwise, as for an unknown trace): a caller who learns another's trace id cannot
/// outvote the user who made the request, and a flood of votes on one trace is one vote.
/// Errors come in the OpenAI error shape, or Anthropic's for a caller that looks like an Anthropic SDK (<see cref="CallerWire"/>).
/// </summary>
internal static class FeedbackEndpoint
{
    /// <summary>Longest comment kept; a longer one is refused (400), not cut.</summary>
    public const int MaxCommentChars = 1_000;

    /// <summary>Largest body read (a trace id, a score and a comment fit many times over); more is a 413.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static async Task HandleAsync(HttpContext http, ITraceStore store, TraceQueue queue, ServingOptions settings, GatewayOptions options, CallerAuthentication auth)
    {
        var wire = CallerWire.Of(http.Request);
        if (await auth.AuthenticateAsync(http, wire).ConfigureAwait(false) is not { } key)
        {
            return;
        }

        // JSON only (415 otherwise), as for chat requests: a "simple" cross-site form post from a web page must not vote.
        try
        {
            RequestReader.CheckContentType(http.Request.ContentType);
        }
        catch (WireException ex)
        {
            await HttpAnswers.ErrorAsync(http, wire, ex.Status, ex.Kind, ex.Message).ConfigureAwait(false);
            return;
        }

        var ct = http.RequestAborted;
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        if (http.Request.ContentLength is null or <= MaxBodyBytes) // null: a chunked body, read up to one byte past the limit
        {
            int n;
            while (length < buffer.Length && (n = await http.Request.Body.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0)
            {
                length += n;
            }
        }

        if (length > MaxBodyBytes || http.Request.ContentLength > MaxBodyBytes)
        {
            await HttpAnswers.ErrorAsync(http, wire, 413, ErrorKinds.TooLarge, $"a feedback body is at most {MaxBodyBytes} bytes").ConfigureAwait(false);
            return;
        }

        string? traceId;
        double score;
        string? comment;
        try
        {
            RequestReader.CheckText(buffer.AsSpan(0, length));
        }
        catch (WireException ex)
        {
            await BadAsync(http, wire, ex.Message).ConfigureAwait(false);
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(buffer.AsMemory(0, length), JsonProblem.Strict);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                await BadAsync(http, wire, "the body must be a JSON object {\"trace_id\", \"score\", \"comment\"}").ConfigureAwait(false);
                return;
            }

            traceId = root.TryGetProperty("trace_id", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (string.IsNullOrWhiteSpace(traceId))
            {
                await BadAsync(http, wire, "'trace_id' is required: the Glidepath-Trace header of the response being rated").ConfigureAwait(false);
                return;
            }

            if (!root.TryGetProperty("score", out var s) || s.ValueKind != JsonValueKind.Number || !IsValidScore(score = s.GetDouble()))
            {
                var given = root.TryGetProperty("score", out var g) ? $"'score' is {g.GetRawText()}" : "'score' is required";
                await BadAsync(http, wire, $"{(given.Length > 60 ? "'score' is not valid" : given)}; expected 1 (good), -1 (bad) or a number from 0 to 1").ConfigureAwait(false);
                return;
            }

            comment = root.TryGetProperty("comment", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (comment is { Length: > MaxCommentChars })
            {
                await BadAsync(http, wire, $"'comment' is {comment.Length} characters; at most {MaxCommentChars} are accepted").ConfigureAwait(false);
                return;
            }
        }
        catch (JsonException ex)
        {
            await BadAsync(http, wire, JsonProblem.IsDuplicateKey(ex)
                ? $"the request body gives a key twice in one object ({JsonProblem.Reason(ex)}); send each key once"
                : $"the request body is not valid JSON ({JsonProblem.Reason(ex)}); expected {{\"trace_id\", \"score\", \"comment\"}}").ConfigureAwait(false);
            return;
        }

        var feedback = new FeedbackRecord(traceId, score, comment, settings.Time.GetUtcNow())
        {
            KeyId = key.Id is { Length: > 0 } id ? id : null,
            Environment = settings.Environment,
        };
        try
        {
            var stored = await store.AddFeedbackAsync(feedback, ct).ConfigureAwait(false);

            // A trace this gateway just issued may still be on its way (online scoring, the trace queue): wait until the
            // batch writer has written it, however long a loaded machine takes, then try again. Past the bound (a long
            // backlog, a slow judge) the trace exists but is not stored yet: a 503 to retry, not "unknown trace".
            if (!stored && queue.IssuedRecently(traceId))
            {
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
                bound.CancelAfter(options.FeedbackTraceWait);
                try
                {
                    await queue.WhenSettledAsync(traceId, bound.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    http.Response.Headers.RetryAfter = "5";
                    await HttpAnswers.ErrorAsync(http, wire, 503, ErrorKinds.Unavailable,
                        $"trace '{traceId}' is not stored yet (it is still on its way to the store after {options.FeedbackTraceWait.TotalSeconds:0.#} s); send the feedback again shortly").ConfigureAwait(false);
                    return;
                }

                stored = await store.AddFeedbackAsync(feedback, ct).ConfigureAwait(false);
            }

            if (!stored)
            {
                await HttpAnswers.ErrorAsync(http, wire, 404, ErrorKinds.NotFound,
                    $"unknown trace '{traceId}': no request with that Glidepath-Trace id was recorded by environment '{settings.Environment}'{(feedback.KeyId is null ? "" : " for this key (a trace is rated only with the key that made it)")}").ConfigureAwait(false);
                return;
            }

            http.Response.StatusCode = 201;
            await http.Response.WriteAsJsonAsync(new Dictionary<string, object?> { ["trace_id"] = traceId, ["score"] = score, ["stored"] = true }, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await HttpAnswers.ErrorAsync(http, wire, 503, ErrorKinds.Unavailable, $"feedback could not be stored right now: {ex.Message}").ConfigureAwait(false);
        }
    }

    private static bool IsValidScore(double score) => score is 1 or -1 || score is >= 0 and <= 1;

    private static Task BadAsync(HttpContext http, IWireFormat wire, string message) =>
        HttpAnswers.ErrorAsync(http, wire, 400, ErrorKinds.InvalidRequest, message);
}
