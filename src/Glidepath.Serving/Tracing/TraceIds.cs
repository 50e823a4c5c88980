using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// Trace ids: the current W3C trace id when OpenTelemetry records the request and the trace began here, else a new one
/// whose first 48 bits are the request's start in Unix milliseconds and whose last 80 bits are random, as in a UUIDv7.
/// A trace id the caller brings (<c>traceparent</c>) is never the stored id: it keys the stored trace (a reused id
/// would be dropped as a duplicate), stands in for the subject when none is sent (so it would pick the arm) and its
/// tail draws sampling, none of which a caller may choose. The span then carries the stored id as
/// <c>glidepath.trace_id</c>. Stored traces are keyed by id: time-ordered ids land at the end of that index
/// instead of on a random page of it, which cut the store's disk writes per request about fourfold under load
/// (docs/benchmarks.md). Every draw made from an id (<see cref="TraceSampling"/>, the shadow's) reads its random
/// tail, which the W3C trace context also promises random (its right-most 7 bytes) for ids from callers.
/// </summary>
internal static class TraceIds
{
    /// <summary>Random bytes drawn 80 ids' worth at a time: one call into the system's generator per 80 requests, not one each.</summary>
    private const int RandomBatch = 800;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_used;

    public static string Next(Activity? activity, DateTimeOffset startedAt) =>
        activity is not null && activity.TraceId != default && !FromCaller(activity) ? activity.TraceId.ToHexString() : New(startedAt);

    /// <summary>Whether the activity's trace was started outside this process (a <c>traceparent</c> header).</summary>
    public static bool FromCaller(Activity activity)
    {
        for (var a = activity; a is not null; a = a.Parent)
        {
            if (a.HasRemoteParent || (a.Parent is null && a.ParentSpanId != default))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A new id: 48 bits of <paramref name="at"/> (Unix milliseconds, big-endian), then 80 random bits.</summary>
    public static string New(DateTimeOffset at)
    {
        Span<byte> id = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(id, at.ToUnixTimeMilliseconds() << 16);
        Random(id[6..]);
        return Convert.ToHexStringLower(id);
    }

    /// <summary>
    /// Cryptographically random bytes from a per-thread batch of the system generator's output; each byte is handed
    /// out once and wiped from the batch.
    /// </summary>
    private static void Random(Span<byte> into)
    {
        var batch = t_random;
        if (batch is null || t_used + into.Length > batch.Length)
        {
            batch = t_random ??= new byte[RandomBatch];
            RandomNumberGenerator.Fill(batch);
            t_used = 0;
        }

        var slice = batch.AsSpan(t_used, into.Length);
        slice.CopyTo(into);
        slice.Clear();
        t_used += into.Length;
    }
}
