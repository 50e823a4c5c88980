namespace Glidepath.Routing;

/// <summary>Which side of a split served a request; the values are the wire names (headers, traces, metrics).</summary>
public static class Arm
{
    public const string Stable = "stable";
    public const string Canary = "canary";
    public const string Shadow = "shadow";
}
