using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Glidepath.Errors;

namespace Glidepath.Gateway.Dashboard;

/// <summary>
/// The dashboard's shared session key: one data-protection key, derived from a secret in an environment variable, that
/// protects the session cookie and the antiforgery tokens, so every gateway (and <c>glidepath dashboard</c>) given the same
/// secret reads the others' cookies and tokens behind a load balancer. Nothing is stored: each host derives the key again
/// at start. The secret is not kept after the derivation, and neither it nor the key is ever written out
/// (<see cref="ToString"/> names the variable only). Changing the secret signs every session out.
/// </summary>
public sealed partial class SessionKey
{
    /// <summary>The shortest secret accepted, in bytes (of its UTF-8 text, surrounding whitespace removed).</summary>
    public const int MinSecretBytes = 32;

    /// <summary>The size of the derived master key: what data protection generates for its own keys (512 bits).</summary>
    internal const int MasterKeyBytes = 64;

    // Versioned: a v2 derivation would be another key, and every session made with v1 would end (as with a new secret).
    private static readonly byte[] KeyIdInfo = Encoding.ASCII.GetBytes("glidepath/dashboard-session-key/v1/key-id");
    private static readonly byte[] MasterKeyInfo = Encoding.ASCII.GetBytes("glidepath/dashboard-session-key/v1/master-key");

    // A name longer than this that is not set is not echoed: it is more likely the secret itself, passed by mistake.
    private const int LongestEchoedName = 31;

    private readonly byte[] _masterKey;

    private SessionKey(string variable, Guid keyId, byte[] masterKey)
    {
        Variable = variable;
        KeyId = keyId;
        _masterKey = masterKey;
    }

    /// <summary>The name of the environment variable the secret was read from.</summary>
    public string Variable { get; }

    /// <summary>The data-protection key's id, derived from the secret apart from the master key.</summary>
    internal Guid KeyId { get; }

    /// <summary>The data-protection master key (a copy).</summary>
    internal byte[] MasterKey() => (byte[])_masterKey.Clone();

    /// <summary>
    /// Reads the secret from the environment variable named <paramref name="variable"/> and derives the key. A name that is
    /// not one, a variable not set, or a secret shorter than <see cref="MinSecretBytes"/> is a <see cref="BadInputException"/>
    /// (exit 2) that names the variable and never shows its value.
    /// </summary>
    public static SessionKey FromEnvironmentVariable(string variable) => FromEnvironmentVariable(variable, Environment.GetEnvironmentVariable);

    internal static SessionKey FromEnvironmentVariable(string variable, Func<string, string?> read)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(read);
        if (!VariableName().IsMatch(variable))
        {
            // Not echoed: what was passed may be the secret rather than its variable's name.
            throw new BadInputException("the session key's environment variable must be given by its name (letters, digits and '_', not starting with a digit), e.g. GLIDEPATH_SESSION_KEY; what was given is not one, and is not shown");
        }

        var value = read(variable)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw new BadInputException(variable.Length > LongestEchoedName
                ? $"the session key's environment variable (a name of {variable.Length} characters, not shown in case it is the secret itself) is not set or empty; pass the variable's name, e.g. GLIDEPATH_SESSION_KEY, and set it to the same random secret on every gateway"
                : $"the session key's environment variable {variable} is not set or empty; set it to the same random secret of at least {MinSecretBytes} bytes on every gateway (e.g. from 'openssl rand -base64 48')");
        }

        var secret = Encoding.UTF8.GetBytes(value);
        try
        {
            return secret.Length < MinSecretBytes
                ? throw new BadInputException($"the session key in the environment variable {variable} is shorter than {MinSecretBytes} bytes; set it to a random secret of at least {MinSecretBytes} bytes, the same on every gateway (e.g. from 'openssl rand -base64 48')")
                : Derive(variable, secret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>HKDF-SHA256 over the secret: the key id and the master key, each with its own fixed, versioned info.</summary>
    private static SessionKey Derive(string variable, byte[] secret)
    {
        var id = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 16, salt: [], info: KeyIdInfo);
        var master = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, MasterKeyBytes, salt: [], info: MasterKeyInfo);
        return new SessionKey(variable, new Guid(id), master);
    }

    /// <summary>Names the variable, never the secret or the key.</summary>
    public override string ToString() => $"the shared session key from {Variable}";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*\\z")]
    private static partial Regex VariableName();
}
