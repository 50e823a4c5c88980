namespace Glidepath.Access;

/// <summary>
/// Who an admin-API request is, as authenticated: a Glidepath access token or an OpenID Connect bearer token, with the
/// grants it carries. <see cref="Actor"/> is what history records; a request cannot choose it.
/// </summary>
public sealed record Principal(string Actor, IReadOnlyList<Grant> Grants)
{
    /// <summary>Whether some grant allows <paramref name="needed"/> in <paramref name="environment"/> (null: app-wide).</summary>
    public bool Allows(string? environment, Role needed)
    {
        foreach (var grant in Grants)
        {
            if (grant.Allows(environment, needed))
            {
                return true;
            }
        }

        return false;
    }
}
