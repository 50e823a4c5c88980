namespace Glidepath.Serving.Shadow;

/// <summary>
/// Which stable requests a shadow mirrors: a draw from the trace id's third 32 bits (inside its random tail, see
/// <see cref="Tracing.TraceIds"/>), so the choice is the same wherever it is made, and independent of the last 32 bits
/// that content capture and online scoring draw from (<see cref="Tracing.TraceSampling"/>): a shadow at 10% and online
/// scoring at 20% do not pick the same requests.
/// </summary>
internal static class ShadowSampling
{
    public static bool Sampled(string traceId, double rate) => Tracing.TraceSampling.Sampled(traceId, rate, at: 16);
}
