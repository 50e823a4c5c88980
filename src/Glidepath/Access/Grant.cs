namespace Glidepath.Access;

/// <summary>A role in one environment, or in every environment of the app (<see cref="AnyEnvironment"/>).</summary>
public sealed record Grant(string Environment, Role Role)
{
    /// <summary>The environment name that stands for all of the app's environments.</summary>
    public const string AnyEnvironment = "*";

    /// <summary>
    /// Whether this grant allows <paramref name="needed"/> in <paramref name="environment"/>; a null environment is an
    /// app-wide read or change (releases, gate verdicts), allowed by a grant in any environment.
    /// </summary>
    public bool Allows(string? environment, Role needed) =>
        Role >= needed && (environment is null || Environment == AnyEnvironment || Environment == environment);
}
