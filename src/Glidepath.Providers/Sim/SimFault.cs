namespace Glidepath.Providers.Sim;

/// <summary>A fault injected into one sim call.</summary>
internal enum Fault
{
    None,
    Error,
    Timeout,
}
