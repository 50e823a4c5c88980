namespace Glidepath.Errors;

/// <summary>Refused by policy or a concurrent change (exit 4).</summary>
public sealed class PolicyException(string message, Exception? inner = null)
    : GlidepathException(message, FailureKind.Refused, inner);
