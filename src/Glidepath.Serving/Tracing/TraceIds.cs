using System.Diagnostics;

namespace Glidepath.Serving.Tracing;

/// <summary>Trace ids: the current W3C trace id when OpenTelemetry records the request, else a fresh random one.</summary>
internal static class TraceIds
{
    public static string Next(Activity? activity) =>
        activity is not null && activity.TraceId != default ? activity.TraceId.ToHexString() : ActivityTraceId.CreateRandom().ToHexString();
}
