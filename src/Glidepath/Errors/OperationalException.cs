namespace Glidepath.Errors;

/// <summary>A provider, store, scorer or judge failed (exit 3). Never treated as a pass.</summary>
public class OperationalException(string message, Exception? inner = null)
    : GlidepathException(message, FailureKind.Operational, inner);
