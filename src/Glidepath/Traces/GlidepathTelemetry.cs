namespace Glidepath.Traces;

/// <summary>The one name every Glidepath ActivitySource and Meter carries, so a host subscribes to all of them at once.</summary>
public static class GlidepathTelemetry
{
    public const string Name = "Glidepath";
}
