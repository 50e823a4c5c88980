using System.Globalization;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// The one draw that samples a request by its trace id (content capture, online scoring): its last 32 bits, which are
/// random in the ids the gateway makes (<see cref="TraceIds"/>) and in a caller's W3C id (its right-most 7 bytes), while
/// its first bits may be a time (ours, AWS X-Ray's); the same id is always sampled the same way on both arms.
/// </summary>
internal static class TraceSampling
{
    /// <summary>Whether the request with <paramref name="traceId"/> falls in a sample of <paramref name="rate"/> (0 to 1).</summary>
    public static bool Sampled(string traceId, double rate) => Sampled(traceId, rate, at: 24);

    /// <summary>The draw itself, from the 8 hex digits of <paramref name="traceId"/> at <paramref name="at"/> (another draw reads other digits of the random tail).</summary>
    internal static bool Sampled(string traceId, double rate, int at) =>
        rate > 0 && traceId.Length == 32 &&
        uint.TryParse(traceId.AsSpan(at, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var draw) &&
        (rate >= 1 || draw / (double)uint.MaxValue < rate);
}
