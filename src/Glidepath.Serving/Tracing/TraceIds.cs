using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// Trace ids: the current W3C trace id when OpenTelemetry records the request (the caller's, from its
/// <c>traceparent</c>), else a new one whose first 48 bits are the request's start in Unix milliseconds and whose last
/// 80 bits are random, as in a UUIDv7. Stored traces are keyed by id: time-ordered ids land at the end of that index
/// instead of on a random page of it, which cut the store's disk writes per request about fourfold under load
/// (docs/benchmarks.md). Every draw made from an id (<see cref="TraceSampling"/>, the shadow's) reads its random
/// tail, which the W3C trace context also promises random (its right-most 7 bytes) for ids from callers.
/// </summary>
internal static class TraceIds
{
    public static string Next(Activity? activity, DateTimeOffset startedAt) =>
        activity is not null && activity.TraceId != default ? activity.TraceId.ToHexString() : New(startedAt);

    /// <summary>A new id: 48 bits of <paramref name="at"/> (Unix milliseconds, big-endian), then 80 random bits.</summary>
    public static string New(DateTimeOffset at)
    {
        Span<byte> id = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(id, at.ToUnixTimeMilliseconds() << 16);
        RandomNumberGenerator.Fill(id[6..]);
        return ActivityTraceId.CreateFromBytes(id).ToHexString();
    }
}
