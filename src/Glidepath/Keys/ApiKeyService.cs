using System.Text.RegularExpressions;
using Glidepath.Access;
using Glidepath.Environments;
using Glidepath.Errors;
using Glidepath.Storage;

namespace Glidepath.Keys;

/// <summary>
/// Creates, lists and revokes callers' keys to an app's gateways. The key is returned once by <see cref="CreateAsync"/>;
/// the store keeps its hash keyed with the store's secret (<see cref="IStoreIdentitySource"/>).
/// </summary>
public sealed partial class ApiKeyService(IApiKeyStore keys, IStoreIdentitySource identity, TimeProvider time)
{
    /// <summary>Creates a key for <paramref name="environment"/> of <paramref name="app"/>.</summary>
    public async Task<CreatedApiKey> CreateAsync(string app, string environment, string name, int? requestsPerMinute, double? budgetUsdPerDay, string createdBy, CancellationToken cancellationToken)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new BadInputException($"key name '{name}' is not allowed; use 1-64 letters, digits, '.', '_' or '-' (e.g. checkout-service)");
        }

        if (requestsPerMinute is < 1)
        {
            throw new BadInputException($"--rpm is {requestsPerMinute}; expected at least 1 (leave it out for no limit)");
        }

        if (budgetUsdPerDay is { } budget && (budget <= 0 || !double.IsFinite(budget)))
        {
            throw new BadInputException($"--budget-usd-per-day is {budget}; expected more than 0 (leave it out for no limit)");
        }

        var secret = ApiKeySecret.New();
        var storeIdentity = await identity.ReadIdentityAsync(cancellationToken).ConfigureAwait(false);
        var key = new ApiKey
        {
            Id = ApiKeySecret.NewId(),
            App = app,
            Environment = environment,
            Name = name,
            KeyHash = ApiKeySecret.Hash(storeIdentity.SubjectKey, secret),
            RequestsPerMinute = requestsPerMinute,
            BudgetUsdPerDay = budgetUsdPerDay,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        await keys.AddAsync(key, cancellationToken).ConfigureAwait(false);
        return new CreatedApiKey(key, secret);
    }

    /// <summary>An app's keys (of one environment when given), revoked ones included.</summary>
    public Task<IReadOnlyList<ApiKey>> ListAsync(string app, string? environment, CancellationToken cancellationToken) =>
        keys.ListAsync(app, environment, cancellationToken);

    /// <summary>
    /// Revokes the key with id <paramref name="idOrName"/>, or else the one key of that name that still works, recording
    /// <paramref name="revokedBy"/> (the actor) and <paramref name="reason"/>; gateways stop accepting it within a poll
    /// (about a second).
    /// </summary>
    public async Task<ApiKey> RevokeAsync(string app, string idOrName, string revokedBy, string? reason, CancellationToken cancellationToken)
    {
        var revocation = new Revocation(time.GetUtcNow(), revokedBy, RecordedText.Reason(reason));
        var all = await keys.ListAsync(app, null, cancellationToken).ConfigureAwait(false);
        var key = all.FirstOrDefault(k => k.Id == idOrName) ?? all.FirstOrDefault(k => k.Name == idOrName && !k.IsRevoked)
            ?? throw new BadInputException($"no key '{idOrName}' of '{app}' (by id, or by name among keys not revoked); 'glidepath keys list' shows them");
        return await keys.RevokeAsync(app, key.Id, revocation, cancellationToken).ConfigureAwait(false)
            ?? throw new OperationalException($"key {key.Id} of '{app}' disappeared while it was being revoked; run 'glidepath keys list'");
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}\\z")]
    private static partial Regex NamePattern();
}
