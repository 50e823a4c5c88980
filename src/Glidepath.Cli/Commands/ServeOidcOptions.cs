using System.CommandLine;
using Glidepath.Errors;
using Glidepath.Gateway.Admin;
using Glidepath.Manifests;

namespace Glidepath.Cli.Commands;

/// <summary><c>serve --oidc-*</c>: which OpenID Connect tokens the admin API accepts and the roles their claims grant.</summary>
internal sealed class ServeOidcOptions
{
    private readonly Option<string?> _issuer = new("--oidc-issuer") { Description = "Accept OpenID Connect bearer tokens from this issuer (iss), e.g. https://login.microsoftonline.com/TENANT/v2.0" };
    private readonly Option<string?> _audience = new("--oidc-audience") { Description = "The audience (aud) they must be for, e.g. api://glidepath" };
    private readonly Option<string?> _authority = new("--oidc-authority") { Description = "Fetch signing keys from this https authority's discovery document (default: --oidc-signing-key files only)" };
    private readonly Option<string[]> _keys = new("--oidc-signing-key") { Description = "A PEM file holding a public key (RSA or EC) signatures must verify with; repeatable", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string[]> _roles = new("--oidc-role") { Description = "VALUE=ROLE@ENV: a token whose roles claim holds VALUE gets ROLE in ENV ('*': every environment); repeatable", AllowMultipleArgumentsPerToken = true };
    private readonly Option<string> _rolesClaim = new("--oidc-roles-claim") { Description = "The claim holding role values", DefaultValueFactory = _ => "roles" };
    private readonly Option<string> _actorClaim = new("--oidc-actor-claim") { Description = "The claim recorded as the actor (oidc:VALUE)", DefaultValueFactory = _ => "sub" };

    public static ServeOidcOptions Create() => new();

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _issuer, _audience, _authority, _keys, _roles, _rolesClaim, _actorClaim })
        {
            command.Add(option);
        }
    }

    /// <summary>The OIDC options, or null when no <c>--oidc-issuer</c> is given (access tokens only).</summary>
    public OidcOptions? Read(ParseResult parse, Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(manifest);
        var issuer = parse.GetValue(_issuer);
        if (issuer is null)
        {
            return parse.GetValue(_audience) is null && parse.GetValue(_authority) is null && (parse.GetValue(_keys) ?? []).Length == 0 && (parse.GetValue(_roles) ?? []).Length == 0
                ? null
                : throw new BadInputException("--oidc-* options need --oidc-issuer");
        }

        var keys = (parse.GetValue(_keys) ?? []).Select(path => OidcSettings.SigningKeyFromPem(Read(path), path)).ToList();
        var options = new OidcOptions
        {
            Issuer = issuer,
            Audience = parse.GetValue(_audience) ?? "",
            Authority = parse.GetValue(_authority),
            SigningKeys = keys,
            Roles = OidcSettings.ParseRoles(parse.GetValue(_roles) ?? [], e => manifest.FindEnvironment(e) is not null),
            RolesClaim = parse.GetValue(_rolesClaim)!,
            ActorClaim = parse.GetValue(_actorClaim)!,
        };
        options.Validate();
        return options;
    }

    private const int MaxKeyBytes = 1024 * 1024;

    private static string Read(string path)
    {
        try
        {
            // A key file is a few KB; a bound keeps a device or a FIFO named here from filling memory or hanging start-up.
            return Glidepath.Files.BoundedFile.ReadAllText(path, MaxKeyBytes) ?? throw new BadInputException($"--oidc-signing-key {path}: larger than {MaxKeyBytes / 1024} KiB; expected a PEM public key or a JSON Web Key Set");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"--oidc-signing-key {path}: cannot read it ({ex.Message})", ex);
        }
    }
}
