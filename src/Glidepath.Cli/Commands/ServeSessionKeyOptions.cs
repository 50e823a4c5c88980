using System.CommandLine;
using Glidepath.Gateway.Dashboard;

namespace Glidepath.Cli.Commands;

/// <summary>
/// <c>serve</c> and <c>dashboard</c> <c>--session-key-env NAME</c>: the environment variable whose secret every gateway of
/// the app derives one dashboard session key from, so a sign-in on one holds on all of them behind a load balancer.
/// </summary>
internal sealed class ServeSessionKeyOptions
{
    private readonly Option<string?> _variable = new("--session-key-env")
    {
        Description = "NAME of an environment variable holding a random secret (at least 32 bytes, the same on every gateway): the dashboard's session cookies and form tokens are protected with a key derived from it, so a sign-in holds on every gateway behind a load balancer. Never the secret itself. Default: this host's own keys",
    };

    public static ServeSessionKeyOptions Create() => new();

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(_variable);
    }

    /// <summary>The key, or null without the option; a variable unset or too short is exit 2, naming it, before anything listens.</summary>
    public SessionKey? Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(_variable) is { } name ? SessionKey.FromEnvironmentVariable(name) : null;
    }

    /// <summary>For a start-up note: which key protects the dashboard's sessions (the variable's name, never the secret).</summary>
    public static string Describe(SessionKey? key) => key is null
        ? "sessions protected by this host's own keys (a sign-in holds on this host only)"
        : $"sessions shared by every gateway given the secret in {key.Variable}";
}
