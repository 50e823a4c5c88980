namespace Glidepath.Errors;

/// <summary>Bad usage or bad input: a manifest, dataset or argument is wrong (exit 2).</summary>
public sealed class BadInputException(string message, Exception? inner = null)
    : GlidepathException(message, FailureKind.BadInput, inner);
