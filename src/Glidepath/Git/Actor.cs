namespace Glidepath.Git;

/// <summary>Who is acting: GLIDEPATH_ACTOR, else git's user.name, else the OS user.</summary>
public static class Actor
{
    public static async Task<string> ResolveAsync(string dir, CancellationToken cancellationToken)
    {
        var fromEnv = Environment.GetEnvironmentVariable("GLIDEPATH_ACTOR");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv.Trim();
        }

        var fromGit = await GitInfo.RunAsync(dir, cancellationToken, "config", "user.name").ConfigureAwait(false);
        return !string.IsNullOrWhiteSpace(fromGit) ? fromGit.Trim() : Environment.UserName;
    }
}
