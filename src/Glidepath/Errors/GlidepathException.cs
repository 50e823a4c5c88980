namespace Glidepath.Errors;

/// <summary>An error a host turns into one clear line: the CLI into a documented exit code (see its <c>ExitCodes</c>).</summary>
public class GlidepathException : Exception
{
    public GlidepathException(string message, FailureKind kind, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public FailureKind Kind { get; }
}
