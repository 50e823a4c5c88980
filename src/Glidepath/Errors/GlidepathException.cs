namespace Glidepath.Errors;

/// <summary>An error the CLI turns into one clear line and a documented exit code.</summary>
public class GlidepathException : Exception
{
    public GlidepathException(string message, int exitCode, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
