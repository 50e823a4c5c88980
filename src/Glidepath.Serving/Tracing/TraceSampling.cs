using System.Globalization;

namespace Glidepath.Serving.Tracing;

/// <summary>
/// The one draw that samples a request by its trace id (content capture, online scoring): the id is random, so its
/// first 32 bits are a fair draw, and the same id is always sampled the same way on both arms.
/// </summary>
internal static class TraceSampling
{
    /// <summary>Whether the request with <paramref name="traceId"/> falls in a sample of <paramref name="rate"/> (0 to 1).</summary>
    public static bool Sampled(string traceId, double rate) =>
        rate > 0 && traceId.Length >= 8 &&
        uint.TryParse(traceId.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var draw) &&
        draw / (double)uint.MaxValue < rate;
}
