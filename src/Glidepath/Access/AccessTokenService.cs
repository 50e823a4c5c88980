using System.Text.RegularExpressions;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Storage;

namespace Glidepath.Access;

/// <summary>
/// Creates, lists, revokes and checks access tokens to an app's admin API. The token is returned once by
/// <see cref="CreateAsync"/>; the store keeps its hash keyed with the store's secret (<see cref="IStoreIdentitySource"/>).
/// </summary>
public sealed partial class AccessTokenService(IAccessTokenStore tokens, IStoreIdentitySource identity, TimeProvider time)
{
    /// <summary>
    /// Creates a token granting <paramref name="role"/> in <paramref name="environment"/> (a declared environment, checked by
    /// the caller, or <see cref="Grant.AnyEnvironment"/>).
    /// </summary>
    public async Task<CreatedAccessToken> CreateAsync(string app, string environment, Role role, string name, string createdBy, CancellationToken cancellationToken)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new BadInputException($"token name '{name}' is not allowed; use 1-64 letters, digits, '.', '_', '@' or '-' (e.g. alice)");
        }

        // Names are the actor in the history: unique among the app's working tokens in any case (ASCII only, so ordinal
        // ignore-case is the whole rule), so 'ROOT' cannot sit beside 'root'. This check words the refusal; the store's
        // index on the lower-cased name (migration 0023) holds the rule against a race and refuses the loser with
        // StoreConflicts.TokenNameTaken. A clash outside the new token's environment says only that the name is taken:
        // not where, nor with which role.
        var all = await tokens.ListAsync(app, cancellationToken).ConfigureAwait(false);
        if (all.FirstOrDefault(t => !t.IsRevoked && string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            throw taken.Environment == environment
                ? new PolicyException($"'{app}' already has a token named '{taken.Name}' in '{environment}' that is not revoked (names are unique in any case); revoke it first ('glidepath tokens revoke {taken.Name}') or choose another name")
                : StoreConflicts.TokenNameTaken(name);
        }

        var secret = AccessTokenSecret.New();
        var storeIdentity = await identity.ReadIdentityAsync(cancellationToken).ConfigureAwait(false);
        var token = new AccessToken
        {
            Id = AccessTokenSecret.NewId(),
            App = app,
            Environment = environment,
            Name = name,
            Role = role,
            TokenHash = AccessTokenSecret.Hash(storeIdentity.SubjectKey, secret),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        await tokens.AddAsync(token, cancellationToken).ConfigureAwait(false);
        return new CreatedAccessToken(token, secret);
    }

    /// <summary>An app's tokens, revoked ones included.</summary>
    public Task<IReadOnlyList<AccessToken>> ListAsync(string app, CancellationToken cancellationToken) => tokens.ListAsync(app, cancellationToken);

    /// <summary>The app's working token <paramref name="secret"/> is, or null (not a token, unknown, revoked). Store errors propagate: never an allow.</summary>
    public async Task<AccessToken?> AuthenticateAsync(string app, string secret, CancellationToken cancellationToken)
    {
        var token = await FindAsync(app, secret, cancellationToken).ConfigureAwait(false);
        return token is { IsRevoked: false } ? token : null;
    }

    /// <summary>
    /// The app's token <paramref name="secret"/> is, revoked or not, or null (not a token's shape, or unknown): for a
    /// refusal to say which. Only <see cref="AuthenticateAsync"/> decides an allow. Store errors propagate.
    /// </summary>
    public async Task<AccessToken?> FindAsync(string app, string secret, CancellationToken cancellationToken)
    {
        if (!AccessTokenSecret.LooksLikeToken(secret))
        {
            return null;
        }

        var storeIdentity = await identity.ReadIdentityAsync(cancellationToken).ConfigureAwait(false);
        return await tokens.FindAsync(app, AccessTokenSecret.Hash(storeIdentity.SubjectKey, secret), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Revokes the token with id <paramref name="idOrName"/>, or else the one working token of that name, recording
    /// <paramref name="revokedBy"/> (the actor) and <paramref name="reason"/>; it is refused from the next request.
    /// </summary>
    public async Task<AccessToken> RevokeAsync(string app, string idOrName, string revokedBy, string? reason, CancellationToken cancellationToken)
    {
        var revocation = new Revocation(time.GetUtcNow(), revokedBy, RecordedText.Reason(reason));
        var token = await FindByIdOrNameAsync(app, idOrName, cancellationToken).ConfigureAwait(false);
        return await tokens.RevokeAsync(app, token.Id, revocation, cancellationToken).ConfigureAwait(false)
            ?? throw new OperationalException($"token {token.Id} of '{app}' disappeared while it was being revoked; run 'glidepath tokens list'");
    }

    /// <summary>The token with id <paramref name="idOrName"/>, or else the one working token of that name; a <see cref="BadInputException"/> otherwise.</summary>
    public async Task<AccessToken> FindByIdOrNameAsync(string app, string idOrName, CancellationToken cancellationToken)
    {
        var all = await tokens.ListAsync(app, cancellationToken).ConfigureAwait(false);
        return all.FirstOrDefault(t => t.Id == idOrName) ?? all.FirstOrDefault(t => t.Name == idOrName && !t.IsRevoked)
            ?? throw new BadInputException($"no token '{idOrName}' of '{app}' (by id, or by name among tokens not revoked); 'glidepath tokens list' shows them");
    }

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}\\z")]
    private static partial Regex NamePattern();
}
