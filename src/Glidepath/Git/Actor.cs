namespace Glidepath.Git;

/// <summary>Who is acting: GLIDEPATH_ACTOR, else git's user.name, else the OS user.</summary>
public static class Actor
{
    /// <remarks>The name is recorded in the history other operators read (a shared store): it must be printable text (exit 2 otherwise).</remarks>
    public static async Task<string> ResolveAsync(string dir, CancellationToken cancellationToken)
    {
        var fromEnv = Environment.GetEnvironmentVariable("GLIDEPATH_ACTOR");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return Printable(fromEnv.Trim(), "GLIDEPATH_ACTOR");
        }

        var fromGit = await GitInfo.RunAsync(dir, cancellationToken, "config", "user.name").ConfigureAwait(false);
        return !string.IsNullOrWhiteSpace(fromGit) ? Printable(fromGit.Trim(), "git's user.name") : Environment.UserName;
    }

    private static string Printable(string name, string source)
    {
        Environments.RecordedText.Ensure(name, $"the actor name from {source}");
        return name;
    }
}
